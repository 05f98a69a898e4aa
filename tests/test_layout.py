"""The layout a newcomer reads: llmx grouped by stage, no import cycle between modules, no
private name imported across modules, stages importing only the stages before them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LLMX = Path(__file__).resolve().parent.parent / "llmx"
# The order of the stages: a module may import its own stage and those before it.
STAGES = ["finder", "text", "naming", "model", "outputs", "pipeline", "evaluation"]
TOP = {"config", "errors", "models"}  # beneath every stage


def modules() -> dict[str, Path]:
    out = {}
    for path in LLMX.rglob("*.py"):
        parts = list(path.relative_to(LLMX.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, top_level_only: bool) -> list[tuple[str, list[str]]]:
    """(imported module, names) for every `from … import …` of llmx in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
            out.append((target, [a.name for a in node.names]))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("llmx"):
            out.append((node.module, [a.name for a in node.names]))
    return out


def test_llmx_is_grouped_in_subpackages_by_stage():
    packages = {p.parent.name for p in LLMX.rglob("__init__.py") if p.parent != LLMX}
    assert set(STAGES) <= packages | {"evaluation"}
    loose = sorted(p.stem for p in LLMX.glob("*.py"))
    assert set(loose) <= {"__init__", "__main__", "api", "cli"} | TOP


def test_no_private_name_is_imported_across_modules():
    bad = []
    for name, path in modules().items():
        for target, names in imports(name, path, top_level_only=False):
            bad += [f"{name} imports {target}.{n}" for n in names if n.startswith("_") and n != "__version__"]
    assert bad == []


def test_no_import_cycle_between_modules():
    mods = modules()
    graph = {name: {t for t, _ in imports(name, path, top_level_only=True) if t in mods and t != name}
             for name, path in mods.items()}
    seen, stack, cycles = set(), [], []

    def visit(node):
        if node in stack:
            cycles.append(stack[stack.index(node):] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for nxt in graph[node]:
            visit(nxt)
        stack.pop()

    for node in graph:
        visit(node)
    assert cycles == []


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_only_the_stages_before_it(stage):
    rank = STAGES.index(stage)
    bad = []
    for name, path in modules().items():
        if not name.startswith(f"llmx.{stage}"):
            continue
        for target, _ in imports(name, path, top_level_only=True):
            parts = target.split(".")
            if len(parts) > 1 and parts[1] in STAGES and STAGES.index(parts[1]) > rank:
                bad.append(f"{name} imports {target}")
    assert bad == []
