#!/usr/bin/env bash
# Quick start, command two: set up and run the whole suite: lint, then pytest on
# SQLite, then on PostgreSQL when one answers at DATABASE_URL / 127.0.0.1:5432.
# Arguments go to pytest (scripts/test.sh tests/events -x).
set -euo pipefail
CAIRN_EXTRAS=test . "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
# LibreOffice (Writer, no GUI) opens the report DOCX in a test, as people will.
apt_install chromium fonts-dejavu-core poppler-utils libharfbuzz-subset0 libreoffice-writer-nogui
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package.json -nt node_modules/axe-core/axe.min.js ]; then
    echo "cairn: installing axe-core from npm" >&2
    npm ci --silent --no-audit --no-fund
fi

ruff check .
ruff format --check . >/dev/null || { ruff format --diff . | head -40; exit 1; }
# The floor plan between apps (docs/architecture.md, pyproject.toml [tool.importlinter]).
lint-imports

# One database name per checkout, so two checkouts testing at once never share test_<name>.
default_db="cairn_$(printf '%s' "$ROOT" | md5sum | cut -c1-8)"
pg_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$default_db}
if python - "$pg_url" <<'PY'
import sys, psycopg
try:
    url = sys.argv[1].rsplit("/", 1)[0] + "/postgres"
    psycopg.connect(url, connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
then
    postgres=1
elif [ -n "${DATABASE_URL:-}" ] || [ -n "${CAIRN_REQUIRE_POSTGRES:-}" ]; then
    echo "cairn: DATABASE_URL is set but PostgreSQL does not answer" >&2
    exit 1
else
    postgres=""
fi

# Each pass is spread over the machine's cores by pytest-xdist: each worker has its own test
# database (test_<name>_gw0, _gw1...); tests marked xdist_group share a worker and take turns.
# CAIRN_TEST_WORKERS=0 runs a pass in one process; "$@" comes last, so `-n 0` there works too.
workers=(-n "${CAIRN_TEST_WORKERS:-auto}" --dist loadgroup)

if [ -z "$postgres" ]; then
    echo "== tests on SQLite" >&2
    env -u DATABASE_URL python -m pytest "${workers[@]}" "$@"
    echo "cairn: no PostgreSQL on 127.0.0.1:5432; ran SQLite only" >&2
    exit 0
fi
# Tests marked any_database (browser tests; the Django-free synthesis engine; a worker or the
# command line on a SQLite file of its own; LibreOffice: tests/conftest.py says which) check the
# same thing whichever database the suite runs on, so they run once, in the PostgreSQL pass.
# Every test of the database's own behaviour (locks, races, overfill, bulk writes) runs on both.
echo "== tests on SQLite (any_database tests run on PostgreSQL only)" >&2
# Exit status 5 (no tests) when every test asked for is one of those: scripts/test.sh tests/e2e.
CAIRN_SKIP_ANY_DATABASE=1 env -u DATABASE_URL python -m pytest "${workers[@]}" "$@" || [ $? -eq 5 ]
echo "== tests on PostgreSQL ($pg_url)" >&2
DATABASE_URL=$pg_url python -m pytest "${workers[@]}" "$@"
