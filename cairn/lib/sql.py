"""Names for SQL written out by hand, taken from the models so that they follow them.

Only the hottest paths write their SQL (the ORM's compilation can cost more than the query
itself); every value there is still a parameter, and these names are quoted."""

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.utils import timezone


def table(model: Any) -> str:
    """The model's table, quoted for the database in use."""
    return connection.ops.quote_name(model._meta.db_table)


def col(model: Any, name: str) -> str:
    """The column behind the model's field `name`, quoted."""
    return connection.ops.quote_name(model._meta.get_field(name).column)


def first_row(sql: str, params: Sequence[Any]) -> tuple | None:
    """The first row the written-out query returns, or None."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def now() -> Any:
    """The current time as a query parameter, as the ORM would send it."""
    return connection.ops.adapt_datetimefield_value(timezone.now())
