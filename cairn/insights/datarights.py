"""Insights hold no personal data of their own: only which login ran or edited a synthesis
(what people said is in contributions, which answer for it)."""

from cairn.core.datarights import STAFF, PersonData, register

register(
    PersonData(
        key="insights",
        title="",
        kept={
            "insights.SynthesisRun.created_by": STAFF,
            "insights.ThemeEdit.actor": STAFF,
        },
    )
)
