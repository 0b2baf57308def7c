"""The imports run through cairn.jobs.services.uploads write its status words: a model
whose statuses drifted from them would never leave "waiting"."""

from cairn.consultations.models import ImportStatus
from cairn.events.models import ChatImportStatus
from cairn.jobs.services import uploads


def test_each_kept_upload_model_uses_the_runners_status_words():
    words = {uploads.WAITING, uploads.APPLIED, uploads.CHECKED, uploads.REFUSED}
    for statuses in (ImportStatus, ChatImportStatus):
        assert words <= set(statuses.values), statuses
