"""Several requests' work started at the same moment, each thread with its own database
connection, as several web processes would: for tests that nothing is done twice."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def at_once(
    n: int, action: Callable[[Any], Any], prepare: Callable[[], Any] = lambda: None
) -> tuple[list[Any], list[Exception]]:
    """Run ``action(prepare())`` in ``n`` threads, released together once each has
    prepared; return what the actions returned and what they raised."""
    start = threading.Barrier(n)
    answers: list[Any] = []
    errors: list[Exception] = []

    def press() -> None:
        try:
            ready = prepare()
            start.wait()
            answers.append(action(ready))
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers, errors
