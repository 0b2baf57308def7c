#!/usr/bin/env bash
# Sourced by scripts/demo.sh and scripts/test.sh: creates .venv and installs
# what Cairn needs. Safe to run again: each step checks before it works.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

# Django 6 needs Python 3.12 or newer: take the first one found.
find_python() {
    local c
    for c in "${PYTHON:-}" python3.14 python3.13 python3.12 \
             "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/bin/python3 python3; do
        [ -n "$c" ] || continue
        command -v "$c" >/dev/null 2>&1 || continue
        if "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            echo "$c"; return 0
        fi
    done
    return 1
}
PY=$(find_python) || { echo "cairn: Python 3.12 or newer is needed (set PYTHON=/path/to/python3.12)" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
    echo "cairn: creating .venv" >&2
    "$PY" -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate

extras=${CAIRN_EXTRAS:-}
stamp=".venv/.installed${extras:+-$extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "cairn: installing Python packages${extras:+ [$extras]}" >&2
    python -m pip install -q --upgrade pip >/dev/null
    python -m pip install -q -e ".${extras:+[$extras]}"
    touch "$stamp"
fi

apt_install() {
    # Installs Debian packages only when missing; needs root or sudo.
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "cairn: installing Debian packages: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
export ROOT
