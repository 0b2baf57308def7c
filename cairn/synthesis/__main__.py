"""``python -m cairn.synthesis`` runs the same CLI as ``cairn synthesize``."""

import sys

from cairn.synthesis.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
