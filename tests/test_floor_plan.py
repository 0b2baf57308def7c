"""An import of another app inside a function body says why it is not at the top.

Such imports are how loops between apps hide (docs/architecture.md); lint-imports keeps
the direction, this keeps each exception explained where it is made."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _app_graph():
    spec = importlib.util.spec_from_file_location("app_graph", ROOT / "scripts" / "app_graph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _explained(lines: list[str], line: int) -> bool:
    """A comment on the import, or on the lines of imports and comments just above it."""
    if "#" in lines[line - 1]:
        return True
    i = line - 2
    while i >= 0:
        text = lines[i].strip()
        if text.startswith("#"):
            return True
        if not text or text.startswith(("from ", "import ")):
            i -= 1
            continue
        return False
    return False


def test_every_import_of_another_app_inside_a_function_says_why():
    edges = _app_graph().collect({"in_function": 0})
    unexplained = []
    for hits in edges.values():
        for path, line, in_function in hits:
            if not in_function:
                continue
            lines = (ROOT / path).read_text().splitlines()
            if not _explained(lines, line):
                unexplained.append(f"{path}:{line}: {lines[line - 1].strip()}")
    assert not unexplained, "Say why these imports are not at the top:\n" + "\n".join(unexplained)


def test_the_check_sees_an_unexplained_import():
    body = ["def f():", '    """Doc."""', "    from cairn.members.models import Person", ""]
    assert not _explained(body, 3)
    assert _explained(["def f():", "    # Local: heavy.", "    from cairn.lib.pdf import x"], 3)
