import subprocess
import sys


def test_importing_synthesis_never_pulls_in_django() -> None:
    code = (
        "import sys\n"
        "import cairn.synthesis, cairn.synthesis.pipeline, cairn.synthesis.cli\n"
        "import cairn.synthesis.io, cairn.synthesis.guided, cairn.synthesis.embed\n"
        "from cairn.synthesis import synthesize\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('django'))\n"
    )
    # A fresh interpreter: this test process may already have Django loaded.
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603
