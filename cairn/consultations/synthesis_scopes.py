"""A whole consultation can be synthesised from the synthesis page: its open answers,
each recorded as a contribution."""

from django.utils.translation import gettext_lazy as _

from cairn.consultations.models import Answer, Consultation
from cairn.insights.scopes import ScopeSource, register_scope

PREFIX = "c"


def scope_key(consultation: Consultation) -> str:
    return f"{PREFIX}{consultation.pk}"


def _choices() -> list[tuple[int, str]]:
    return list(Consultation.objects.order_by("-pk").values_list("pk", "title")[:100])


def _title(pk: int) -> str | None:
    return Consultation.objects.filter(pk=pk).values_list("title", flat=True).first()


def answer_contribution_ids(pk: int) -> list[int]:
    return sorted(
        Answer.objects.filter(response__consultation_id=pk, contribution__isnull=False)
        .values_list("contribution_id", flat=True)
        .distinct()
    )


register_scope(
    ScopeSource(
        prefix=PREFIX,
        label=_("Consultations"),
        choices=_choices,
        title=_title,
        contribution_ids=answer_contribution_ids,
    )
)
