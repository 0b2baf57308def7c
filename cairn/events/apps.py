from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "cairn.events"
    label = "events"
    verbose_name = _("Events and breakouts")

    def ready(self) -> None:
        # Here, not at the top: models may only be imported once every app is loaded.
        from django.db.models.signals import post_delete

        from cairn.events.models import ChatImport
        from cairn.lib.storage import remove_with_row
        from cairn.members.merge import people_merged

        people_merged.connect(_refill_after_merge, dispatch_uid="events-refill-after-merge")
        post_delete.connect(remove_with_row, sender=ChatImport, dispatch_uid="events-chat-imports")


def _refill_after_merge(sender, removed, **kwargs) -> None:
    """A merge that removed a duplicate registered place gives it to the first person waiting."""
    from django.db import transaction

    # Local: apps.py is imported before any model may be.
    from cairn.events.services.registration import _lock_event, promote_waiting

    events = {
        row.event_id
        for row in removed
        if row._meta.label_lower == "events.registration" and row.status == "registered"
    }
    for event_id in events:
        with transaction.atomic():
            promote_waiting(_lock_event(event_id))
