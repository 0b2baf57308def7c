#!/usr/bin/env bash
# Quick start, command one: set up, load the demo network into SQLite, serve it.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
apt_install fonts-dejavu-core poppler-utils libharfbuzz-subset0
# No DATABASE_URL of its own: the demo goes into the default database (cairn.sqlite3 at
# the root), the one every `cairn` command of the README reads when nothing is set.
exec cairn demo "$@"
