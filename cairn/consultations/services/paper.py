"""Paper forms: one reference code per person, a printable PDF, sent in the letter batch."""

import re
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from cairn.consultations.models import (
    Consultation,
    PaperForm,
    Question,
    QuestionKind,
    Response,
)
from cairn.core import audit
from cairn.core.network import network
from cairn.members.models import AccessNeed, Channel, Person
from cairn.outreach.services import notify


def people_due_a_form(consultation: Consultation) -> QuerySet[Person]:
    """People who take part by post and have not answered yet by any channel."""
    answered = Response.objects.filter(consultation=consultation, person__isnull=False).exclude(
        status="draft"
    )
    return (
        Person.objects.filter(preferred_channel=Channel.POST, anonymised_at__isnull=True)
        .exclude(pk__in=answered.values("person"))
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )


def _new_code() -> str:
    for _attempt in range(20):
        code = PaperForm.generate_code()
        if not PaperForm.objects.filter(code=code).exists():
            return code
    raise RuntimeError("Could not find a free paper code; the code space is nearly full.")


@transaction.atomic
def issue_paper_forms(
    consultation: Consultation, *, actor: Any, people: Iterable[Person] | None = None
) -> list[PaperForm]:
    """A form (and code) for each person; a person who already has one keeps it."""
    people = list(people_due_a_form(consultation) if people is None else people)
    existing = {
        f.person_id: f
        for f in PaperForm.objects.filter(consultation=consultation, person__in=people)
    }
    forms: list[PaperForm] = []
    created = 0
    for person in people:
        form = existing.get(person.pk)
        if form is None:
            for _attempt in range(3):
                try:
                    with transaction.atomic():
                        form = PaperForm.objects.create(
                            consultation=consultation, person=person, code=_new_code()
                        )
                    break
                except IntegrityError:
                    form = None
            if form is None:
                raise RuntimeError("Could not issue a unique paper code; please try again.")
            created += 1
        form.person = person
        forms.append(form)
    audit.record(
        actor, "consultation.paper_forms_issued", consultation, f"{created} new paper forms"
    )
    return forms


def issued_forms_due(consultation: Consultation) -> list[PaperForm]:
    """The forms already issued to people still due one: what a GET may print again,
    since printing them creates nothing."""
    due = people_due_a_form(consultation)
    forms = PaperForm.objects.filter(consultation=consultation, person__in=due)
    return list(
        forms.select_related("person", "person__organisation").order_by(
            "person__last_name", "person__first_name", "person__pk"
        )
    )


# One request renders these into a PDF: 100 pages take seconds, 1,000 took minutes and 2.5 GB.
MAX_BLANK_FORMS = 100


@transaction.atomic
def issue_blank_forms(consultation: Consultation, *, actor: Any, count: int) -> list[PaperForm]:
    """Forms with codes but no name, for handing out at a drop-in or a library."""
    if not 1 <= count <= MAX_BLANK_FORMS:
        raise ValueError(f"Print between 1 and {MAX_BLANK_FORMS} blank forms at a time.")
    forms = [
        PaperForm.objects.create(consultation=consultation, code=_new_code()) for _ in range(count)
    ]
    audit.record(actor, "consultation.blank_forms_issued", consultation, f"{count} blank forms")
    return forms


# A hint that only says how many boxes to mark ("Tick all that apply", "Select one"):
# written for the web form, it repeats the paper form's own instruction.
_HOW_MANY = re.compile(
    r"\(?\s*(please\s+)?((tick|choose|select|pick|check|mark|cross|circle)\s+)?"
    r"(only\s+)?(one|all|any|every|as many as (you (like|want|need)|apply)|up to \w+)"
    r"(\s+(box|boxes|option|options|answer|answers|item|items|choice|choices))?"
    r"(\s+(that|which)\s+appl(y|ies)(\s+to\s+you)?)?\s*[.!]?\s*\)?",
    re.IGNORECASE,
)


def printed_hint(question: Question) -> str:
    """The question's hint as printed: left out when the form's own instruction
    ("Put a cross in every box that applies.") already says it."""
    hint = question.help_text.strip()
    if question.kind != QuestionKind.OPEN and _HOW_MANY.fullmatch(hint):
        return ""
    return hint


def return_address(consultation: Consultation) -> str:
    """Where a paper form goes back to: the consultation's own address, else the
    network's (network settings) under its name; "" when neither is set."""
    if consultation.return_address.strip():
        return consultation.return_address.strip()
    net = network()
    return f"{net.name}\n{net.postal_address}" if net.postal_address else ""


def _two_columns(question: Question) -> bool:
    """Four or more short choices go in two columns, to keep a form to two pages."""
    choices = (
        question.choices if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else []
    )
    return len(choices) >= 4 and max(len(c) for c in choices) <= 34


def render_paper_forms(consultation: Consultation, forms: Iterable[PaperForm]) -> bytes:
    """One PDF, each form starting on a new page; large print for those who asked for it."""
    from weasyprint import HTML  # imported here: it loads pango, which pages do not need

    html = render_to_string(
        "consultations/paper_form.html",
        {
            "consultation": consultation,
            "network_name": network().name,
            "return_address": return_address(consultation),
            "questions": [
                {"q": q, "hint": printed_hint(q), "two_columns": _two_columns(q)}
                for q in consultation.questions.all()
            ],
            "forms": [
                {
                    "form": form,
                    "person": form.person,
                    "large_print": bool(
                        form.person and form.person.has_access_need(AccessNeed.LARGE_PRINT)
                    ),
                }
                for form in forms
            ],
        },
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def send_paper_forms(consultation: Consultation, *, actor: Any) -> int:
    """Put a personal form into the letter batch for everyone due one, through outreach."""
    forms = issue_paper_forms(consultation, actor=actor)
    sent = 0
    for form in forms:
        if form.sent_at is not None or form.person is None:
            continue
        pdf = render_paper_forms(consultation, [form])
        delivery = notify(
            form.person,
            subject=consultation.title,
            body=(
                f"{consultation.introduction}\n\nPlease fill in the enclosed form and send it back "
                f"to the address printed on it.\n\nYour reference: {form.code}"
            ),
            purpose="research",
            attachments=((f"consultation-{form.code}.pdf", pdf, "application/pdf"),),
            sender=actor,
        )
        if delivery.status == "not_reached":
            # Outreach keeps the reason on the delivery; the form stays unsent to try again.
            continue
        PaperForm.objects.filter(pk=form.pk).update(sent_at=timezone.now())
        sent += 1
    audit.record(actor, "consultation.paper_forms_sent", consultation, f"{sent} forms sent")
    return sent
