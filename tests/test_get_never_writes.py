"""No GET writes to the database: every URL is fetched by every role allowed to open it
(the objects and roles of tests/test_permissions.py) while the SQL is watched. The scan
in test_no_writes_in_views.py reads the views' own code; this catches a write reached
through a helper (a cache filled, a task queued in the database, a row "touched")."""

import re

import pytest

from tests.test_no_writes_in_views import sql_writes
from tests.test_permissions import ANON, ROLES, _all_urls, rule_for, url_of, world  # noqa: F401

# Tables a GET may write, each with the reason.
ALLOWED_TABLES = {
    "django_session": "the session itself (a login's state, messages shown)",
}
# Pages whose GET writes one more table on purpose, with the reason.
ALLOWED_PAGES = {
    ("members:person_export", "core_auditentry"): "who downloaded a person's data is audited",
}
TABLE = re.compile(r'^\s*(?:insert\s+into|update|delete\s+from)\s+"?([a-z0-9_]+)"?', re.I)


@pytest.mark.django_db
def test_no_get_writes_to_the_database(client, world, settings):  # noqa: F811
    from cairn.lib.mailers import CATCHER

    settings.CAIRN_SIGNUP = True
    settings.MAILERS = {"default": {"BACKEND": CATCHER}}
    offenders = []
    for name, (_route, arg_names) in sorted(_all_urls().items()):
        rule = rule_for(name)
        if rule is None or name.startswith("admin:"):
            continue
        url = url_of(name, arg_names, world)
        if url is None:
            continue
        for role in ROLES:
            if role not in rule.allow:
                continue  # a refusal may be logged: that write is the point of it
            client.logout()
            if role != ANON:
                client.force_login(world["users"][role])
            with sql_writes() as seen:
                client.get(url)
            tables = {m.group(1) for sql in seen if (m := TABLE.match(sql))}
            unexplained = sorted(
                t for t in tables if t not in ALLOWED_TABLES and (name, t) not in ALLOWED_PAGES
            )
            if unexplained:
                offenders.append(f"GET {url} ({name}) as {role} writes {unexplained}")
    assert not offenders, "\n".join(offenders)
