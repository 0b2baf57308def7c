"""Writes to people's personal data, by feature: `people` (details, duplicates, archive,
a person's own "My details"), `organisations`, `consent`, `rights` (export and erasure).
Each function owns its transaction and leaves an audit entry naming who did it, so the
audit log answers "who changed or exported this person's data?". Everything public is
importable from here."""

from cairn.members.services.consent import set_consent
from cairn.members.services.errors import PersonError
from cairn.members.services.organisations import (
    ORGANISATION_FIELDS,
    archive_organisation,
    create_organisation,
    update_organisation,
)
from cairn.members.services.people import (
    PERSON_DETAIL_FIELDS,
    VISIBILITY_FIELDS,
    archive_person,
    create_person,
    likely_duplicates,
    put_own_login_on_file,
    update_own_details,
    update_person,
)
from cairn.members.services.rights import ERASED_NAME, erase_person, export_person, person_data

__all__ = [
    "ERASED_NAME",
    "ORGANISATION_FIELDS",
    "PERSON_DETAIL_FIELDS",
    "PersonError",
    "VISIBILITY_FIELDS",
    "archive_organisation",
    "archive_person",
    "create_organisation",
    "create_person",
    "erase_person",
    "export_person",
    "likely_duplicates",
    "person_data",
    "put_own_login_on_file",
    "set_consent",
    "update_organisation",
    "update_own_details",
    "update_person",
]
