"""What consultations hold about a person: their responses and the paper forms sent."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from cairn.consultations.models import PaperForm, Response
from cairn.core.datarights import STAFF, PersonData, register
from cairn.members.models import Person


def _responses(person: Person) -> list[dict[str, Any]]:
    responses = (
        Response.objects.filter(person=person)
        .select_related("consultation")
        .prefetch_related("answers__question")
    )
    return [
        {
            "consultation": r.consultation.title,
            "name_given": r.respondent_name,
            "channel": r.channel,
            "status": r.status,
            "consent_to_quote": r.consent_to_quote,
            "created_at": r.created_at.isoformat(),
            "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
            "answers": [
                {"question": a.question.text, "text": a.text, "selected": a.selected}
                for a in r.answers.all()
            ],
        }
        for r in responses
    ]


def _erase_responses(person: Person) -> int:
    """Keep the answers, anonymised, with the sector so counts by sector stay true."""
    responses = Response.objects.filter(person=person)
    responses.filter(sector="").update(sector=person.effective_sector)
    return responses.update(person=None, respondent_name="")


register(
    PersonData(
        key="consultation_responses",
        title=_("Consultation responses"),
        export=_responses,
        erase=_erase_responses,
        relations=("consultations.Response.person",),
        kept={
            "consultations.Response.entered_by": STAFF,
            "consultations.Consultation.created_by": STAFF,
            "consultations.ResponseImport.created_by": STAFF,
        },
        order=50,
    )
)


def _paper_forms(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "consultation": f.consultation.title,
            "code": f.code,
            "issued_at": f.issued_at.isoformat(),
            "sent_at": f.sent_at.isoformat() if f.sent_at else None,
        }
        for f in PaperForm.objects.filter(person=person).select_related("consultation")
    ]


def _erase_paper_forms(person: Person) -> int:
    return PaperForm.objects.filter(person=person).update(person=None)


register(
    PersonData(
        key="consultation_paper_forms",
        title=_("Paper consultation forms sent to you"),
        export=_paper_forms,
        erase=_erase_paper_forms,
        relations=("consultations.PaperForm.person",),
        order=51,
    )
)
