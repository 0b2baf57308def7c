"""Reports hold no personal data of their own: only which login drafted or approved them."""

from cairn.core.datarights import STAFF, PersonData, register

register(
    PersonData(
        key="reports",
        title="",
        kept={
            "reports.Report.created_by": STAFF,
            "reports.Report.approved_by": STAFF,
            "reports.Report.published_by": STAFF,
            "reports.Revision.actor": STAFF,
        },
    )
)
