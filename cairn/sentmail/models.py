from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CaughtEmail(models.Model):
    """An email the demo 'sent': kept here instead of leaving the machine."""

    from_email = models.CharField(_("from"), max_length=300)
    to = models.TextField(_("to"), help_text=_("Every recipient, comma-separated"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    raw = models.BinaryField(_("message as sent"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("caught email")
        verbose_name_plural = _("sent mail")

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    def get_absolute_url(self) -> str:
        return reverse("sentmail:detail", args=[self.pk])
