#!/usr/bin/env bash
# Quick start, command one: set up, load the demo network into SQLite, serve it.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
apt_install fonts-dejavu-core poppler-utils libharfbuzz-subset0
export DATABASE_URL=${DATABASE_URL:-sqlite:///$ROOT/demo.sqlite3}
export CAIRN_NETWORK_NAME=${CAIRN_NETWORK_NAME:-Northshire Co-production Network}
exec cairn demo "$@"
