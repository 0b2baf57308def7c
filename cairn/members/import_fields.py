"""The fields a member list can fill, the header names people actually use for
them, and how each cell's text becomes a value (or a row error)."""

import re
from datetime import date, datetime
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from cairn.members.models import AccessNeed, Channel, ConsentPurpose, Sector

IGNORE = ""

# field -> label shown in the mapping preview
FIELDS: dict[str, str] = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "full_name": _("Full name (split into first and last)"),
    "email": _("Email"),
    "phone": _("Phone"),
    "address": _("Postal address (several columns are joined)"),
    "postcode": _("Postcode"),
    "home_address": _("Home address, used when the postcode column is empty (joined)"),
    "home_postcode": _("Home postcode, used when the postcode column is empty"),
    "organisation": _("Organisation"),
    "sector": _("Sector"),
    "region": _("Region"),
    "job_title": _("Role in organisation"),
    "preferred_channel": _("Preferred channel"),
    "access_needs": _("Access needs"),
    "language": _("Preferred language"),
    "visible_in_directory": _("Show in directory"),
    "consent_event_invitations": _("Consent: event invitations"),
    "consent_newsletters": _("Consent: newsletters"),
    "consent_research": _("Consent: research use"),
    "consent_quote": _("Consent: quoting in reports"),
    "consent_date": _("Date consent was given"),
    "attendee_status": _("Attendee status (cancelled and refunded rows are left out)"),
    "email_optin_time": _("Email opt-in time (becomes newsletter consent on that date)"),
    "email_optin_ip": _("Email opt-in IP address (noted with the consent)"),
    "email_unsub_time": _("Email unsubscribe time (withdraws newsletter consent on that date)"),
    "email_unsub_reason": _("Email unsubscribe reason (noted with the withdrawal; joined)"),
    "refuse_email": _("Do not email (yes records a refusal of email)"),
    "refuse_post": _("Do not post (yes records a refusal of letters)"),
    "refuse_phone": _("Do not phone (yes records a refusal of calls)"),
}
# "Do not contact by this channel" flags, and the channel each refuses.
REFUSAL_FIELDS = {
    "refuse_email": Channel.EMAIL,
    "refuse_post": Channel.POST,
    "refuse_phone": Channel.PHONE,
}
CONSENT_FIELDS = {
    "consent_event_invitations": ConsentPurpose.EVENT_INVITATIONS,
    "consent_newsletters": ConsentPurpose.NEWSLETTERS,
    "consent_research": ConsentPurpose.RESEARCH,
    "consent_quote": ConsentPurpose.QUOTE,
}
MULTI_COLUMN_FIELDS = {"address", "home_address", "email_unsub_reason"}
NAME_FIELDS = {"first_name", "full_name"}

SYNONYMS: dict[str, list[str]] = {
    "first_name": ["first name", "firstname", "forename", "forenames", "given name", "first"],
    "last_name": ["last name", "lastname", "surname", "family name", "last"],
    "full_name": ["name", "full name", "contact name", "contact", "member", "member name"],
    "email": [
        "email",
        "e mail",
        "email address",
        "e mail address",
        "mail",
        "emails",
        "contact email",
    ],
    "phone": [
        "phone",
        "tel",
        "tel no",
        "telephone",
        "telephone number",
        "phone number",
        "mobile",
        "mobile number",
        "contact number",
        "phone no",
    ],
    "address": [
        "address",
        "postal address",
        "address 1",
        "address 2",
        "address 3",
        "address line 1",
        "address line 2",
        "address line 3",
        "street",
        "town",
        "city",
        "town city",
        "county",
    ],
    "postcode": ["postcode", "post code", "postal code", "zip", "zip code"],
    "organisation": [
        "organisation",
        "organization",
        "org",
        "group",
        "company",
        "employer",
        "organisation name",
        "organization name",
    ],
    "sector": ["sector", "organisation type", "type of organisation", "org type"],
    "region": ["region", "area", "locality", "council area", "local authority area"],
    "job_title": ["job title", "role", "position", "job role"],
    "preferred_channel": [
        "preferred contact",
        "preferred channel",
        "contact preference",
        "contact by",
        "how to contact",
        "preferred contact method",
        "contact method",
    ],
    "access_needs": [
        "access needs",
        "accessibility",
        "access requirements",
        "accessibility needs",
        "requirements",
    ],
    "language": ["language", "preferred language"],
    "visible_in_directory": ["show in directory", "directory", "in directory", "visible"],
    "consent_event_invitations": [
        "consent events",
        "consent event invitations",
        "event invitations",
        "invitations",
        "invite",
    ],
    "consent_newsletters": [
        "consent newsletters",
        "newsletter",
        "newsletters",
        "consent newsletter",
    ],
    "consent_research": ["consent research", "research", "research consent"],
    "consent_quote": ["consent quote", "consent to quote", "quote", "quote consent"],
    "consent_date": ["consent date", "date of consent", "consent given", "date consented"],
}
_LOOKUP = {name: field for field, names in SYNONYMS.items() for name in names}


@lru_cache(maxsize=4096)  # cells repeat down a column ("charity", "email", "yes")
def normalise_header(header: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", header.lower()).split())


# The exports of the tools coordinators bring, beyond the plain names above.
_MORE_SYNONYMS: dict[str, list[str]] = {
    "organisation": [
        "company name",
        "current employer",
        "organization name",
        "organization 1 name",
        "organisation 1 name",
    ],
    "job_title": ["organization title", "organization 1 title"],
    "address": [
        "country",
        "home address",
        "home address 1",
        "home address 2",
        "home city",
        "home county",
        "county of residence",
        "home state",
        "home country",
        "street address",
        "supplemental address 1",
        "supplemental address 2",
        "state",
        "state province",
        "address 1 formatted",
        "address 1 street",
        "address 1 city",
        "home street",
        "business street",
        "business city",
    ],
    "postcode": [
        "home postcode",
        "home post code",
        "home zip",
        "home zip code",
        "home postal code",
        "address 1 postal code",
        "business postal code",
    ],
    "phone": [
        "cell phone",
        "home phone",
        "work phone",
        "mobile phone",
        "business phone",
        "phone 1 value",
        "primary phone",
    ],
    "email": ["e mail 1 value", "email 1 value", "email address 1", "primary email"],
    "first_name": ["given name"],
    "last_name": ["family name"],
    "attendee_status": ["attendee status", "registration status", "ticket status"],
    "email_optin_time": ["optin time"],
    "email_optin_ip": ["optin ip"],
    # Mailchimp's export of unsubscribed contacts (UNSUB_REASON_OTHER: the words given
    # when the reason is "Other").
    "email_unsub_time": ["unsub time"],
    "email_unsub_reason": ["unsub reason", "unsub reason other"],
    # CiviCRM's privacy flags (1 = do not), and the plain names a spreadsheet uses.
    "refuse_email": ["do not email", "no email"],
    "refuse_post": ["do not mail", "do not post", "no post"],
    "refuse_phone": ["do not phone", "do not call", "no phone calls"],
}
for _field, _names in _MORE_SYNONYMS.items():
    for _name in _names:
        _LOOKUP.setdefault(_name, _field)


def field_for_header(header: str) -> str:
    """The member field a heading names by the names people use ("E-mail" is email),
    or "" (IGNORE); another app's import reads its headings with it too."""
    return _LOOKUP.get(normalise_header(header), IGNORE)


# Rows in these states are not people to add (Eventbrite's Attendee Status).
LEFT_OUT_STATUSES = {"cancelled", "canceled", "refunded", "not attending", "deleted"}

# Known exports, told apart by headers only they write.
PRESETS: list[tuple[str, set[str]]] = [
    ("Mailchimp audience export", {"optin time", "member rating", "leid", "euid"}),
    (
        "Eventbrite attendee report",
        {"attendee status", "order", "order no", "ticket type", "attendee"},
    ),
    ("CiviCRM contacts", {"contact id", "contact type", "current employer"}),
    ("Google Contacts", {"e mail 1 value", "phone 1 value", "organization 1 name"}),
    ("Outlook contacts", {"business phone", "business street", "e mail display name"}),
]


# Columns whose usual meaning is wrong in a given export.
PRESET_OVERRIDES: dict[str, dict[str, str]] = {
    # Mailchimp's REGION is where the sign-up IP address was, not a region of the network.
    "Mailchimp audience export": {"region": IGNORE},
    # Eventbrite's Group is its own grouping of orders; Company is the organisation.
    "Eventbrite attendee report": {"group": IGNORE},
    # Google writes the whole address again in one cell beside its parts.
    "Google Contacts": {"address 1 formatted": IGNORE},
    # An individual's organisation is their Current Employer; Organization Name is
    # the name of an organisation contact itself.
    "CiviCRM contacts": {"current employer": "organisation", "organization name": IGNORE},
    # Outlook keeps a business and a home address side by side: the business one is the
    # address, and the home one stands in for a contact with no Business Postal Code
    # (joining both would post a letter to two places at once).
    "Outlook contacts": {
        "business street 2": "address",
        "business street 3": "address",
        "business state": "address",
        "home street": "home_address",
        "home street 2": "home_address",
        "home street 3": "home_address",
        "home city": "home_address",
        "home state": "home_address",
        "home postal code": "home_postcode",
    },
}


def detect_preset(headers: list[str]) -> str:
    names = {normalise_header(h) for h in headers}
    best = max(PRESETS, key=lambda preset: len(preset[1] & names))
    return best[0] if len(best[1] & names) >= 2 else ""


def header_score(cells: list[str]) -> int:
    """How much a row looks like a member list's header: cells we know the meaning of."""
    return sum(1 for cell in cells if cell and normalise_header(cell) in _LOOKUP)


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Header -> field from the names people use; each single field is taken once."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    overrides = PRESET_OVERRIDES.get(detect_preset(headers), {})
    for header in headers:
        name = normalise_header(header)
        field = overrides.get(name, _LOOKUP.get(name, IGNORE))
        if field and field not in MULTI_COLUMN_FIELDS and field in taken:
            field = IGNORE
        mapping[header] = field
        if field:
            taken.add(field)
    if "full_name" in taken and "first_name" in taken:
        # "Name" next to "First name" is usually the surname column's sibling, not a full name.
        for header, field in mapping.items():
            if field == "full_name":
                mapping[header] = IGNORE if "last_name" in taken else "last_name"
    return mapping


def mapping_problems(mapping: dict[str, str]) -> list[str]:
    problems = []
    used: dict[str, str] = {}
    for header, field in mapping.items():
        if not field:
            continue
        if field not in FIELDS:
            problems.append(f"Unknown field {field!r} for column {header!r}.")
        elif field in used and field not in MULTI_COLUMN_FIELDS:
            problems.append(
                f"Columns {used[field]!r} and {header!r} are both mapped to {FIELDS[field]}."
            )
        used.setdefault(field, header)
    if not NAME_FIELDS & set(used):
        problems.append("No column is mapped to a name (first name or full name).")
    return problems


# --- cell values -------------------------------------------------------------------------

_CHANNELS = {
    "email": Channel.EMAIL,
    "e mail": Channel.EMAIL,
    "phone": Channel.PHONE,
    "telephone": Channel.PHONE,
    "tel": Channel.PHONE,
    "call": Channel.PHONE,
    "phone call": Channel.PHONE,
    "mobile": Channel.PHONE,
    "post": Channel.POST,
    "letter": Channel.POST,
    "postal": Channel.POST,
    "mail": Channel.POST,
    "by post": Channel.POST,
    "web": Channel.WEB,
    "web only": Channel.WEB,
    "online": Channel.WEB,
    "website": Channel.WEB,
}
_SECTORS = (
    {normalise_header(str(label)): value for value, label in Sector.choices}
    | {normalise_header(value): value for value in Sector.values}
    | {
        "community": Sector.COMMUNITY,
        "community group": Sector.COMMUNITY,
        "charity": Sector.THIRD_SECTOR,
        "voluntary": Sector.THIRD_SECTOR,
        "voluntary sector": Sector.THIRD_SECTOR,
        "third": Sector.THIRD_SECTOR,
        "public": Sector.PUBLIC_SERVICE,
        "public sector": Sector.PUBLIC_SERVICE,
        "council": Sector.LOCAL_AUTHORITY,
        "nhs": Sector.HEALTH_SOCIAL_CARE,
        "health": Sector.HEALTH_SOCIAL_CARE,
        "business": Sector.PRIVATE,
        "private": Sector.PRIVATE,
        "company": Sector.PRIVATE,
        "university": Sector.ACADEMIC,
        "individual": Sector.INDIVIDUAL,
    }
)
_NEEDS = (
    {normalise_header(str(label)): value for value, label in AccessNeed.choices}
    | {normalise_header(value): value for value in AccessNeed.values}
    | {
        "bsl": AccessNeed.BSL,
        "sign language": AccessNeed.BSL,
        "large font": AccessNeed.LARGE_PRINT,
        "interpreter": AccessNeed.OTHER_LANGUAGE,
        "translation": AccessNeed.OTHER_LANGUAGE,
        "captions": AccessNeed.HEARING_LOOP,
        "hearing loop": AccessNeed.HEARING_LOOP,
        "wheelchair": AccessNeed.STEP_FREE,
        "step free": AccessNeed.STEP_FREE,
    }
)
_YES = {"yes", "y", "true", "1", "x", "✓", "✔", "agreed", "agree", "consented", "ok"}
_NO = {"no", "n", "false", "0", "declined", "withdrawn", "refused"}


class CellError(ValueError):
    pass


def parse_channel(text: str) -> str:
    value = _CHANNELS.get(normalise_header(text))
    if value is None:
        raise CellError(f"Unknown preferred channel {text!r} (use email, phone, post or web).")
    return value


def parse_sector(text: str) -> str:
    value = _SECTORS.get(normalise_header(text))
    if value is None:
        raise CellError(f"Unknown sector {text!r}.")
    return value


def parse_access_needs(text: str) -> tuple[list[str], str]:
    """Known needs as codes; anything else is kept word for word as a note."""
    needs: list[str] = []
    other: list[str] = []
    for part in re.split(r"[;,/\n]+", text):
        part = part.strip()
        if not part:
            continue
        code = _NEEDS.get(normalise_header(part))
        if code and code not in needs:
            needs.append(code)
        elif not code:
            other.append(part)
    return needs, ", ".join(other)


def parse_bool(text: str) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise CellError(f"{text!r} is not yes or no.")


# A narrower pattern than Django's validator: every address it matches, the validator
# accepts too, and it is ten times quicker. Anything else goes to the validator.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}"
)


def parse_email(text: str) -> str:
    value = text.strip().lower()
    if value.startswith("mailto:"):
        value = value[7:]
    if len(value) <= 254 and _PLAIN_EMAIL.fullmatch(value):
        return value
    try:
        validate_email(value)
    except ValidationError as error:
        raise CellError(f"{text!r} is not a valid email address.") from error
    return value


def parse_date(text: str) -> date:
    value = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value).date()
    except ValueError as error:
        raise CellError(f"{text!r} is not a date (use 31/01/2026 or 2026-01-31).") from error


def split_full_name(text: str) -> tuple[str, str]:
    parts = text.split()
    if len(parts) == 1:
        return parts[0], ""
    if "," in text:
        # "Millar, Jean" is how many registers list people.
        last, _, first = text.partition(",")
        return first.strip(), last.strip()
    return " ".join(parts[:-1]), parts[-1]


# A phone cell as spreadsheets leave it: Excel stores "07700 900123" typed without the
# quote as the number 7700900123, and a CSV saved from it has lost the 0 for good.
_PHONE_PUNCTUATION = re.compile(r"[\s\-().\u00a0/]")
_PHONE_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x|#)\s*\d{1,6}$", re.IGNORECASE)
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?e\+?\d+$", re.IGNORECASE)
# Ten digits without their 0: UK mobiles (07...) and geographic numbers (01...). No US
# number starts with 1; a 10-digit 7... is taken as a UK mobile, the network being in the UK.
_UK_WITHOUT_ZERO = re.compile(r"^[17]\d{9}$")
PHONE_DIGITS = (7, 15)  # the shortest real numbers, and E.164's longest


def parse_phone(text: str) -> tuple[str, str]:
    """The phone number to keep, and a note for the row report ("" when it is fine).

    A number the spreadsheet stripped of its leading 0 gets it back (and says so); one
    that cannot be a phone number is kept as given, with a note, so nobody's other
    details are lost over a typo in one cell.
    """
    value = text.strip()
    if _SCIENTIFIC.fullmatch(value):
        return value, (
            f"phone {value!r} was shortened by a spreadsheet (scientific notation): the "
            "digits are lost, so check it"
        )
    bare = _PHONE_PUNCTUATION.sub("", _PHONE_EXTENSION.sub("", value))
    digits = bare[1:] if bare.startswith("+") else bare
    if value.isdigit() and _UK_WITHOUT_ZERO.fullmatch(value):
        return f"0{value}", f"phone {value} had lost its leading 0: imported as 0{value}"
    if value.isdigit() and len(value) == 12 and value.startswith("44"):
        return f"+{value}", f"phone {value} had lost its leading +: imported as +{value}"
    low, high = PHONE_DIGITS
    if not digits.isdigit() or not low <= len(digits) <= high:
        return value, f"phone {value!r} does not look like a phone number: imported as given"
    return value, ""
