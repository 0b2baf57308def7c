"""Sending one message to people by the channel each of them chose, by feature:
`deliveries` (`notify`, `notify_many`, a service letter or call), `sending` (email now, and
again after a failure), `consent` (who may be reached, unsubscribe links), `letters`,
`calls`, `unreached` (deliveries a coordinator must deal with), `web_messages`.

`notify` and `notify_many` are the interface other apps call (event confirmations,
reminders, consultation forms, digests). Email is sent at once; a failed send keeps the
delivery as `failed` with a next attempt time and `retry_failed_emails` picks it up, so
nothing is lost silently. Letters wait in the letter queue for the mail merge; calls wait
on the call list. Everything public is importable from here."""

from cairn.outreach.services.calls import call_list, log_call
from cairn.outreach.services.consent import (
    UNSUBSCRIBE_SALT,
    channel_problem,
    consented,
    reachable,
    unsubscribe,
    unsubscribe_purpose,
    unsubscribe_token,
    unsubscribe_url,
)
from cairn.outreach.services.deliveries import (
    Attachments,
    notify,
    notify_many,
    queue_service_message,
    sending_outcome,
)
from cairn.outreach.services.errors import OutreachError
from cairn.outreach.services.letters import (
    batch_files,
    create_letter_batch,
    forget_batch_files,
    mark_batch_posted,
    prepare_batch_files,
    queued_letters,
)
from cairn.outreach.services.sending import (
    EMAIL_CHUNK,
    MAX_EMAIL_ATTEMPTS,
    RETRY_BASE,
    mark_interrupted_sends,
    retry_failed_emails,
    schedule_retry,
    send_email_delivery,
    send_pending_emails,
)
from cairn.outreach.services.unreached import not_reached, resolve_delivery, retry_delivery
from cairn.outreach.services.web_messages import mark_seen

__all__ = [
    "Attachments",
    "EMAIL_CHUNK",
    "MAX_EMAIL_ATTEMPTS",
    "OutreachError",
    "RETRY_BASE",
    "UNSUBSCRIBE_SALT",
    "batch_files",
    "call_list",
    "channel_problem",
    "consented",
    "create_letter_batch",
    "forget_batch_files",
    "log_call",
    "mark_batch_posted",
    "mark_interrupted_sends",
    "mark_seen",
    "not_reached",
    "notify",
    "notify_many",
    "prepare_batch_files",
    "queue_service_message",
    "sending_outcome",
    "queued_letters",
    "reachable",
    "resolve_delivery",
    "retry_delivery",
    "retry_failed_emails",
    "schedule_retry",
    "send_email_delivery",
    "send_pending_emails",
    "unsubscribe",
    "unsubscribe_purpose",
    "unsubscribe_token",
    "unsubscribe_url",
]
