"""Jobs hold nothing about a person but who started them."""

from django.utils.translation import gettext_lazy as _

from cairn.core.datarights import STAFF, PersonData, register

register(
    PersonData(
        key="jobs",
        title=_("Background jobs"),
        kept={"jobs.Job.created_by": STAFF},
        order=200,
    )
)
