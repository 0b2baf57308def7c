"""Views read what was posted through a Django form; they never pick values out of POST.

A value picked by hand (`request.POST.get("event")`) is passed on unchecked: a word where a
number belongs, an id past what the database holds or an id of another object ends in a
500 or a silent guess. A form validates it and says what is wrong (docs/architecture.md).
This test reads every views module and fails on a value read from `request.POST` by hand.
"""

import ast

from tests.test_no_writes_in_views import CAIRN, _views_modules

# Reading one value, several, or all of them one by one.
READS = {"get", "getlist", "items", "keys", "values", "lists", "pop", "__getitem__"}

# Views allowed to read POST by hand ("path:line text"), each with the reason (none today).
# Passing request.POST whole to a form, `"name" in request.POST` (which button was
# pressed) and request.POST.dict() handed to a form are not reads and need no entry.
ALLOWED: dict[str, str] = {}


def _is_post(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "POST"
        and isinstance(node.value, ast.Name)
        and node.value.id == "request"
    )


def reads_in(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Subscript)
            and _is_post(node.value)
            or isinstance(node, ast.Attribute)
            and node.attr in READS
            and _is_post(node.value)
        ):
            found.append((node.lineno, ast.unparse(node)))
    return found


def test_the_scan_sees_each_kind_of_read():
    source = """
def view(request):
    a = request.POST.get("a")
    b = request.POST["b"]
    c = request.POST.getlist("c")
    d = {k: v for k, v in request.POST.items()}
    form = Form(request.POST or None)
    pressed = "submit" in request.POST
    other = Form({**request.POST.dict()})
    q = request.GET.get("q")
"""
    assert sorted(line for line, _ in reads_in(source)) == [3, 4, 5, 6]


def test_no_view_picks_values_out_of_post_by_hand():
    offenders = []
    for path in _views_modules():
        relative = str(path.relative_to(CAIRN.parent))
        for line, text in reads_in(path.read_text()):
            if f"{relative}:{text}" not in ALLOWED:
                offenders.append(f"{relative}:{line}: {text}")
    assert not offenders, (
        "Read posted values through a Django form in the app's forms.py, so a bad value is "
        "a message and not a 500:\n" + "\n".join(offenders)
    )


def test_the_scan_reads_the_views_packages_too():
    names = {str(p.relative_to(CAIRN)) for p in _views_modules()}
    assert {"members/views.py", "reports/views.py"} <= names
    assert any(name.startswith("events/views/") for name in names)
