"""What consultations hold about a person: their responses and the paper forms sent."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cairn.consultations.models import ImportStatus, PaperForm, Response, ResponseImport
from cairn.core import audit
from cairn.core.datarights import STAFF, PersonData, Rows, field_choices, field_labels, register
from cairn.core.retention import scrub_reports
from cairn.members.models import Person

# The export's keys and the field each stands for (answers are a response's own rows).
RESPONSE_FIELDS = [
    "consultation",
    ("name_given", "respondent_name"),
    "channel",
    "status",
    "consent_to_quote",
    "created_at",
    "submitted_at",
]


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
        labels=field_labels(Response, RESPONSE_FIELDS),
        choices=field_choices(Response, RESPONSE_FIELDS),
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


paper_forms = Rows(
    PaperForm,
    "person",
    [("consultation", "consultation.title"), "code", "issued_at", "sent_at"],
)


register(
    PersonData(
        key="consultation_paper_forms",
        title=_("Paper consultation forms sent to you"),
        rows=paper_forms,
        erase=paper_forms.anonymise(person=None),
        order=51,
    )
)


def _erase_from_response_imports(person: Person) -> int:
    # A response import's report quotes the rows it refused, which may name the person. A
    # file left on its matching page is kept whole and may hold their answers: it goes now
    # (chosen again, its columns are matched again), not after the retention days.
    waiting = ResponseImport.objects.filter(status=ImportStatus.MATCHING)
    gone = 0
    for record in waiting.iterator(chunk_size=100):
        with transaction.atomic():
            audit.record(
                None, "consultation.import_discarded", record.consultation, record.filename
            )
            record.delete()  # its post_delete takes the file out of the storage
        gone += 1
    return gone + scrub_reports(ResponseImport.objects.all(), [person.full_name, person.email])


register(
    PersonData(
        key="response_import_reports",
        title=_("Imported response files"),
        erase=_erase_from_response_imports,
        order=52,
    )
)
