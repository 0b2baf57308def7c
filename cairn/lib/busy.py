"""A busy SQLite database answers "try again", never a 500.

SQLite lets one writer in at a time; while a long import holds the lock, another
write waits `timeout` seconds and then fails with "database is locked". Nothing was
written (the request's transaction rolled back), so the person can simply send it
again: the page says so, keeps what they typed one click away (the browser's back),
and Retry-After tells scripts when.
"""

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def is_busy(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and "database is locked" in str(exc).lower()


class BusyDatabaseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        log.warning("database busy: %s %s answered 503", request.method, request.path)
        response = TemplateResponse(request, "busy.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response.render()
