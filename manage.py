#!/usr/bin/env python
"""Django's command-line utility; `cairn` does the same and more."""

import sys

from cairn.cli import main

if __name__ == "__main__":
    sys.exit(main())
