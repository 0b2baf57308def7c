import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cairn.contributions.models import Contribution, ContributionChannel
from cairn.insights.models import SynthesisRun
from cairn.members.models import Organisation, Person, Sector

# Letters and digits that cannot be mistaken for each other when handwritten or read aloud.
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


class Consultation(models.Model):
    """A question set someone in the network asks, answered by web, paper or phone."""

    title = models.CharField(_("title"), max_length=200)
    asked_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
        verbose_name=_("asked by"),
    )
    introduction = models.TextField(
        _("introduction"), help_text=_("Why you ask and what happens next")
    )
    privacy_notice = models.TextField(
        _("privacy notice"), help_text=_("Who sees the answers, how long they are kept, and rights")
    )
    return_address = models.TextField(
        _("return address for paper forms"), blank=True, help_text=_("Printed on every paper form")
    )
    allow_anonymous = models.BooleanField(
        _("people may answer on the web without logging in"), default=False
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.DRAFT,
    )
    closes_on = models.DateField(_("closing date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.pk])

    @property
    def past_closing_date(self) -> bool:
        """The closing date is the last day answers are taken; it has gone by."""
        return self.closes_on is not None and self.closes_on < timezone.localdate()

    @property
    def is_open(self) -> bool:
        """Taking answers from respondents: opened, and its closing date not gone by."""
        return self.status == ConsultationStatus.OPEN and not self.past_closing_date

    @property
    def closed_notice(self) -> str:
        """Why no new answers are taken, in words for a respondent; "" while open."""
        if self.is_open:
            return ""
        if self.status == ConsultationStatus.DRAFT:
            return gettext("This consultation is not open for answers yet.")
        if self.past_closing_date:
            return gettext(
                "This consultation closed on %(date)s. New answers can no longer be sent."
            ) % {"date": date_format(self.closes_on, "j F Y")}
        return gettext("This consultation is closed. New answers can no longer be sent.")


class QuestionKind(models.TextChoices):
    OPEN = "open", _("Open text")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Scale")


class Question(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    choices_text = models.TextField(
        _("choices"), blank=True, help_text=_("One choice per line (choice questions only)")
    )
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    scale_min_label = models.CharField(_("label for the lowest"), max_length=60, blank=True)
    scale_max_label = models.CharField(_("label for the highest"), max_length=60, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    # The latest synthesis of this open question's answers.
    synthesis_run = models.ForeignKey(
        SynthesisRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["consultation", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def choices(self) -> list[str]:
        return [line.strip() for line in self.choices_text.splitlines() if line.strip()]

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))

    @property
    def options(self) -> list[str]:
        """What can be counted: the choices, or the scale points as text."""
        if self.kind == QuestionKind.SCALE:
            return [str(v) for v in self.scale_values]
        return self.choices


class ResponseChannel(models.TextChoices):
    WEB = "web", _("Web")
    PAPER = "paper", _("Paper form")
    PHONE = "phone", _("Phone")
    IMPORT = "import", _("Imported")

    @property
    def contribution_channel(self) -> str:
        return {
            "web": ContributionChannel.WEB_FORM,
            "paper": ContributionChannel.PAPER_FORM,
            "phone": ContributionChannel.PHONE,
            "import": ContributionChannel.WEB_FORM,
        }[self.value]


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    PARTIAL = "partial", _("Submitted, some questions not answered")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class PaperForm(models.Model):
    """One printed form for one person; its code is entered once when the form comes back."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="paper_forms"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="paper_forms"
    )
    code = models.CharField(_("reference code"), max_length=12, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent in the letter batch"), null=True, blank=True)

    class Meta:
        ordering = ["consultation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "person"], name="one_paper_form_per_person"
            )
        ]
        verbose_name = _("paper form")
        verbose_name_plural = _("paper forms")

    def __str__(self) -> str:
        return self.code

    @staticmethod
    def generate_code() -> str:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        return f"{raw[:4]}-{raw[4:]}"


class Response(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    respondent_name = models.CharField(_("name given"), max_length=200, blank=True)
    # Kept apart from the person so counts by sector survive erasure and anonymous answers.
    sector = models.CharField(_("sector"), max_length=30, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=ResponseChannel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    # One response per paper code: the database refuses a second, whatever the race.
    paper_form = models.OneToOneField(
        PaperForm, null=True, blank=True, on_delete=models.PROTECT, related_name="response"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    source = models.CharField(_("source"), max_length=200, blank=True)
    consent_to_quote = models.BooleanField(_("may be quoted in reports"), default=False)
    # Entered by staff after the consultation closed (a paper form that came late, a call
    # returned after the closing date): counted, but marked so in the results.
    late = models.BooleanField(_("came in after the consultation closed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["consultation", "-submitted_at", "-id"]
        indexes = [models.Index(fields=["consultation", "status"])]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.consultation} #{self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.status != ResponseStatus.DRAFT

    @property
    def reference(self) -> str:
        return self.paper_form.code if self.paper_form_id else f"R{self.pk}"

    @property
    def sector_label(self) -> str:
        return str(Sector(self.sector).label) if self.sector in Sector.values else ""

    @property
    def display_name(self) -> str:
        if self.person_id:
            return self.person.full_name
        return self.respondent_name or str(_("Anonymous"))


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("text"), blank=True)
    selected = models.JSONField(_("choices"), default=list, blank=True)
    contribution = models.OneToOneField(
        Contribution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["response", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return self.text[:60] or ", ".join(self.selected)


class ImportStatus(models.TextChoices):
    # Kept, its columns shown to the coordinator to match; nothing is read until then.
    MATCHING = "matching", _("Columns to match")
    WAITING = "waiting", _("Waiting for the worker")
    APPLIED = "applied", _("Imported")
    CHECKED = "checked", _("Checked, nothing written")
    REFUSED = "refused", _("Nothing imported: problems found")


class ResponseImport(models.Model):
    """A file of responses kept while its columns are matched, then imported (by a
    worker, for a large file): the file until it is read, then what the import found. Applying it and marking it applied are one transaction, so a
    worker killed part way leaves nothing and a retry imports the file once."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    # In the storage until the file is read through (applied, checked or refused).
    file = models.FileField(upload_to="imports/responses/", max_length=300, blank=True)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.WAITING
    )
    # What each column holds, as the coordinator matched them (services.columns): empty
    # for an import queued without the matching step, which then guesses.
    columns = models.JSONField(default=list, blank=True)
    # The wording typed for each column that becomes a new question ("" for the heading).
    wordings = models.JSONField(default=list, blank=True)
    report = models.JSONField(default=dict, blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("response import")
        verbose_name_plural = _("response imports")

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("consultations:import_result", args=[self.consultation_id, self.pk])
