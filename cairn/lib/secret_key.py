"""The site's signing key when none is given: made once, kept in a private file.

Signed links (unsubscribe, invitations, password resets) are only as safe as
the key. A public demo key would let anyone forge them, so `cairn serve`
outside the demo makes a random key the first time and keeps it, readable by
its owner only, beside the data; every later start (and the worker) reads it.
"""

import os
import secrets
from pathlib import Path

# The fallback key only exists so a fresh clone's demo runs; it is public.
DEMO_KEY = "cairn-insecure-demo-key-set-SECRET_KEY-in-production"
KEY_FILE_NAME = "secret_key"
MIN_LENGTH = 50


def read_key(folder: Path) -> str:
    """The kept key, or "" when there is none yet."""
    try:
        return (folder / KEY_FILE_NAME).read_text(encoding="ascii").strip()
    except (FileNotFoundError, NotADirectoryError):
        return ""


def load_or_create_key(folder: Path) -> str:
    """The kept key, made (0600, never overwritten) the first time."""
    existing = read_key(folder)
    if existing:
        return existing
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    path = folder / KEY_FILE_NAME
    try:
        # O_EXCL: two processes starting at once keep one key, not two.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_key(folder)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


def key_problem(key: str) -> str:
    """Why a key is unfit for production, or "" when it is fine."""
    if not key:
        return "SECRET_KEY is not set."
    if key == DEMO_KEY:
        return "SECRET_KEY is the public demo key: anyone could forge signed links."
    if len(key) < MIN_LENGTH or len(set(key)) < 5:
        return f"SECRET_KEY is too short or too plain (at least {MIN_LENGTH} random characters)."
    return ""
