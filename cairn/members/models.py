from django.conf import settings
from django.db import models
from django.db.models.functions import Replace
from django.db.models.lookups import Contains
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    COMMUNITY = "community", _("Community group")
    THIRD_SECTOR = "third_sector", _("Third sector")
    PUBLIC_SERVICE = "public_service", _("Public service")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    HEALTH_SOCIAL_CARE = "health_social_care", _("Health and social care")
    PRIVATE = "private", _("Private sector")
    ACADEMIC = "academic", _("Academic")
    FUNDER = "funder", _("Funder")
    INDIVIDUAL = "individual", _("Individual / no organisation")


class Channel(models.TextChoices):
    """How a person prefers to be reached."""

    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    POST = "post", _("Post")
    WEB = "web", _("Web only")


class AccessNeed(models.TextChoices):
    LARGE_PRINT = "large_print", _("Large print")
    EASY_READ = "easy_read", _("Easy read")
    BSL = "bsl", _("British Sign Language")
    OTHER_LANGUAGE = "other_language", _("Another language")
    HEARING_LOOP = "hearing_loop", _("Hearing loop / captions")
    STEP_FREE = "step_free", _("Step-free access")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, db_index=True)
    region = models.CharField(_("region"), max_length=100, blank=True, db_index=True)
    topics = models.CharField(
        _("topics"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, e.g. housing, mental health"),
    )
    description = models.TextField(_("what we do"), blank=True)
    website = models.URLField(_("website"), blank=True)
    how_to_work_with_us = models.TextField(
        _("how to work with us"),
        blank=True,
        help_text=_("Who to contact and how, and what you can offer or need."),
    )
    contact_email = models.EmailField(_("public contact email"), blank=True)
    contact_phone = models.CharField(_("public contact phone"), max_length=40, blank=True)
    listed_publicly = models.BooleanField(
        _("list us in the public directory"),
        default=False,
        help_text=_("Anyone, without logging in, sees the name, what you do and how to reach you."),
    )
    # Archived organisations leave lists and pickers but keep their history.
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:organisation", args=[self.pk])

    @property
    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.split(",") if t.strip()]


def person_matches(q: str, via: str = "") -> models.Q:
    """People whose first name, last name or email holds ``q``, for a list's search box;
    ``via`` is the path to the person from the rows searched ("person__")."""
    return (
        models.Q(**{f"{via}first_name__icontains": q})
        | models.Q(**{f"{via}last_name__icontains": q})
        | models.Q(**{f"{via}email__icontains": q})
    )


def _bare_phone(via: str = "") -> models.Func:
    """The phone number with the spaces, dashes, dots and brackets people type taken out."""
    bare: models.Func | models.F = models.F(f"{via}phone")
    for mark in (" ", "-", ".", "(", ")"):
        bare = Replace(bare, models.Value(mark), models.Value(""))
    return bare


def caller_matches(q: str) -> models.Q:
    """People a volunteer's search finds: every word in a name, email or organisation
    ("jean mil" finds Jean Millar), or the digits of a phone number however it was
    written ("07700900123" finds "07700 900123")."""
    words = q.split()
    found = models.Q()
    for word in words:
        found &= person_matches(word) | models.Q(organisation__name__icontains=word)
    digits = "".join(ch for ch in q if ch.isdigit())
    if len(digits) >= 4 and not q.strip("+0123456789 -().").strip():
        # Stored as typed, with or without the 0 a spreadsheet dropped: the last digits.
        found = models.Q(Contains(_bare_phone(), digits.lstrip("0") or digits))
    return found


def one_caller(people: models.QuerySet, q: str) -> tuple["Person | None", int]:
    """The one person among ``people`` a typed search names, and how many it names: the
    pickers take a single match and explain none (0) or several (their count)."""
    matches = people.filter(caller_matches(q))
    found = list(matches[:2])
    if len(found) == 1:
        return found[0], 1
    return None, matches.count() if found else 0


class Person(models.Model):
    """A member of the network, with or without a login and with or without internet."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("organisation"),
    )
    job_title = models.CharField(_("role in organisation"), max_length=150, blank=True)
    sector = models.CharField(
        _("sector"),
        max_length=30,
        choices=Sector.choices,
        blank=True,
        help_text=_("Defaults to the organisation's sector."),
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    access_needs = models.JSONField(
        _("access needs"), default=list, blank=True, help_text=_("Codes from AccessNeed")
    )
    access_notes = models.TextField(_("other access needs"), blank=True)
    language = models.CharField(_("preferred language"), max_length=50, blank=True)
    visible_in_directory = models.BooleanField(
        _("show me in the members' directory"), default=False
    )
    listed_publicly = models.BooleanField(
        _("list me in the public directory"),
        default=False,
        help_text=_("Anyone, without logging in, sees your name, organisation and role."),
    )
    show_email = models.BooleanField(_("show my email to other members"), default=False)
    show_phone = models.BooleanField(_("show my phone number to other members"), default=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # Archived people (left the network) leave lists, pickers and audiences but keep their
    # history; unlike erasure it can be undone.
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("members:person", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def effective_sector(self) -> str:
        if self.sector:
            return self.sector
        if self.organisation_id:
            return self.organisation.sector
        return Sector.INDIVIDUAL

    def get_effective_sector_display(self) -> str:
        return str(Sector(self.effective_sector).label)

    def access_need_labels(self) -> list[str]:
        labels = dict(AccessNeed.choices)
        return [str(labels.get(code, code)) for code in self.access_needs]

    def has_access_need(self, need: str) -> bool:
        return need in self.access_needs


class ConsentPurpose(models.TextChoices):
    EVENT_INVITATIONS = "event_invitations", _("Event invitations and reminders")
    NEWSLETTERS = "newsletters", _("Newsletters and network news")
    RESEARCH = "research", _("Research use of contributions")
    QUOTE = "quote", _("Quoting my words in reports")


class ConsentMethod(models.TextChoices):
    WEB = "web", _("Web form")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    POST = "post", _("Letter or paper form")
    IN_PERSON = "in_person", _("In person")
    IMPORT = "import", _("Imported record")


class Consent(models.Model):
    """One purpose a person agreed to (or withdrew from), with when and how."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("granted"), default=True)
    method = models.CharField(_("how given"), max_length=20, choices=ConsentMethod.choices)
    recorded_at = models.DateTimeField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["person", "purpose", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "purpose"], name="one_consent_per_purpose")
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        state = "yes" if self.granted else "no"
        return f"{self.person}: {self.get_purpose_display()} = {state}"


class ChannelConsent(models.Model):
    """A person's word about one way of being reached, whatever the purpose.

    Today only refusals are recorded (a CiviCRM "Do Not Email" flag, say): nothing is
    sent to the person by that channel, even for a purpose they agreed to.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="channel_consents")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    granted = models.BooleanField(_("granted"), default=False)
    method = models.CharField(_("how given"), max_length=20, choices=ConsentMethod.choices)
    recorded_at = models.DateTimeField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["person", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["person", "channel"], name="one_consent_per_channel")
        ]
        verbose_name = _("channel consent")
        verbose_name_plural = _("channel consents")

    def __str__(self) -> str:
        state = "yes" if self.granted else "no"
        return f"{self.person}: {self.get_channel_display()} = {state}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    APPLIED = "applied", _("Applied")


class ImportJob(models.Model):
    """An uploaded member list between its preview and the coordinator's confirmation.

    The file is kept in the storage until it is imported, then let go: the people it named
    are on file, and a list of names and addresses is not kept twice."""

    filename = models.CharField(_("file"), max_length=255)
    file = models.FileField(upload_to="imports/members/", max_length=300, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self) -> str:
        return self.filename
