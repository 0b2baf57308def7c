"""A 403 is logged in one line, without a traceback."""

import logging

import pytest

from cairn.lib.logfilters import ForbiddenInOneLine

pytestmark = pytest.mark.django_db


def test_a_refused_request_is_logged_without_its_traceback(client, charlie, caplog):
    client.force_login(charlie)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/people/").status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    ForbiddenInOneLine().filter(record)
    text = logging.Formatter().format(record)
    assert text == "Forbidden (Permission denied): /people/"
