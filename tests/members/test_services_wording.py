"""What the members services say to people goes through gettext: the messages of the
errors they raise (shown on forms) and the summaries of their audit entries (shown in the
audit log and in a person's own data export). A bare string or f-string there would stay
in English whatever language the network uses."""

import ast
from pathlib import Path

import pytest

import cairn.members.services as members_services

SERVICES = sorted(Path(members_services.__file__).parent.glob("*.py"))
GETTEXT = {"_", "gettext", "ngettext", "pgettext", "gettext_lazy", "ngettext_lazy"}


def _translated(node: ast.expr) -> bool:
    """A message built from gettext: `_("…")`, `_("…") % {…}`, or a choice between two."""
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id in GETTEXT
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _translated(node.left)
    if isinstance(node, ast.IfExp):
        return _translated(node.body) and _translated(node.orelse)
    # A name or attribute carries a message made elsewhere (str(error), a label).
    return not isinstance(node, ast.Constant | ast.JoinedStr | ast.BinOp)


def _messages(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            yield node.lineno, node.exc.args[0]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "record"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "audit"
            and len(node.args) >= 4
        ):
            yield node.lineno, node.args[3]


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_members_services_word_their_messages_through_gettext(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bare = [line for line, message in _messages(tree) if not _translated(message)]
    assert not bare, f"{path.name}: messages not wrapped in gettext on lines {bare}"


def test_the_check_finds_a_bare_message():
    tree = ast.parse('raise PersonError(f"No {x}.")\naudit.record(u, "a", o, "Changed " + y)')
    assert [not _translated(m) for _line, m in _messages(tree)] == [True, True]
