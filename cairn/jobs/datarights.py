"""Background work keeps only which login started it."""

from cairn.core.datarights import STAFF, PersonData, register

register(PersonData(key="jobs", title="", kept={"jobs.Job.created_by": STAFF}))
