#!/usr/bin/env python3
"""Print which Cairn app imports which, from the source alone (no Django needed).

Usage: python scripts/app_graph.py [--detail] [--loops]

Each line is `importer -> imported: N module-level, M in functions`. Imports inside
function bodies are counted apart because they are how loops between apps hide.
`--detail` lists every import with file:line; `--loops` prints pairs of apps that
import each other. The enforced floor plan lives in pyproject.toml [tool.importlinter]
and docs/architecture.md; this script shows what the code actually does.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "cairn"


def app_of(module: str) -> str | None:
    """The app a dotted module belongs to; "(shell)" for settings, urls, cli and the like."""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "cairn":
        return None
    return parts[1] if (ROOT / parts[1]).is_dir() else "(shell)"


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


class Finder(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.is_package = is_package
        self.depth = 0
        self.found: list[tuple[str, int, bool]] = []

    def _func(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _func

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append((alias.name, node.lineno, self.depth > 0))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.module.split(".")
            if not self.is_package:
                base = base[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        if target in ("cairn",):  # `from cairn import x` names submodules
            for alias in node.names:
                self.found.append((f"cairn.{alias.name}", node.lineno, self.depth > 0))
        else:
            self.found.append((target, node.lineno, self.depth > 0))

    def visit_Call(self, node: ast.Call) -> None:
        # import_module("cairn.x...") and apps.get_model("x", ...) are imports too.
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        if name == "import_module" and node.args and isinstance(node.args[0], ast.Constant):
            value = node.args[0].value
            if isinstance(value, str):
                self.found.append((value, node.lineno, self.depth > 0))
        self.generic_visit(node)


def collect(
    counts: dict[str, int],
) -> dict[tuple[str, str], list[tuple[str, int, bool]]]:
    edges: dict[tuple[str, str], list[tuple[str, int, bool]]] = defaultdict(list)
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = module_name(path)
        source = app_of(module if "." in module else module + ".__init__")
        if source is None:
            continue
        finder = Finder(module, path.name == "__init__.py")
        finder.visit(ast.parse(path.read_text(), filename=str(path)))
        for target, line, in_function in finder.found:
            dest = app_of(target)
            if dest is None:
                continue
            if in_function:
                counts["in_function"] += 1
            if dest == source:
                continue
            rel = path.relative_to(ROOT.parent)
            edges[(source, dest)].append((str(rel), line, in_function))
    return edges


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detail", action="store_true", help="list every import")
    parser.add_argument("--loops", action="store_true", help="list apps importing each other")
    args = parser.parse_args(argv)
    counts = {"in_function": 0}
    edges = collect(counts)
    total_fn = 0
    for (source, dest), hits in sorted(edges.items()):
        in_fn = sum(1 for _, _, f in hits if f)
        total_fn += in_fn
        print(
            f"{source:>14} -> {dest:<14} {len(hits) - in_fn:3d} module-level, {in_fn:3d} in functions"
        )
        if args.detail:
            for rel, line, f in hits:
                print(f"{'':18}{rel}:{line}{'  (in function)' if f else ''}")
    pairs = sorted(
        (a, b)
        for (a, b) in edges
        if a < b and (b, a) in edges and not a.startswith("(") and not b.startswith("(")
    )
    print(
        f"\n{len(edges)} edges; {counts['in_function']} cairn imports inside function bodies, "
        f"{total_fn} of them of another app"
    )
    if args.loops or pairs:
        print(
            "loops (apps importing each other): "
            + (", ".join(f"{a} <-> {b}" for a, b in pairs) or "none")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
