"""Mutation testing of the rule modules against their fast tests (mutmut 3).

Copies a snapshot of the project into .mutation/ (git-ignored), configures mutmut
there (setup.cfg, so pyproject.toml stays untouched), runs it with a bounded number
of workers under a wall-clock limit, and prints killed/total per module.

    python scripts/mutation.py                   # every mutant, every fast test
    python scripts/mutation.py --sample 3        # every mutant of the small modules, every 3rd of numbers.py
    python scripts/mutation.py --without-owed    # leave out the tests written for survivors (OWED): the figure before them
    python scripts/mutation.py --rerun-survivors # keep the snapshot and its verdicts; re-run only the
                                                 # survivors, under the tests written for survivors (OWED) only
    python scripts/mutation.py --resume --sample 3  # check what a run cut short by --limit left
    python scripts/mutation.py --report          # print the table of the last run
    python scripts/mutation.py --modules identifiers context   # only these rule modules

mutmut 3 mutates code inside functions only (not module-level constants such as the
regular expressions) and runs, per mutant, only the tests that call the mutated function.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
# Functions run only at import (units._unit_pattern builds UNIT_PATTERN): mutmut forks its
# workers after the import, so no test can ever see their mutants. Counted apart, not in the rate.
IMPORT_TIME = ("llmx.finder.units.x__unit_pattern__",)
# The rule modules, by short name: their paths under llmx/.
PATHS = {"numbers": "finder/numbers", "readings": "finder/readings", "identifiers": "finder/identifiers",
         "units": "finder/units", "sections": "text/sections", "context": "naming/context", "naming": "naming/rules",
         "dependents": "naming/dependents", "check": "naming/check", "furniture": "finder/furniture",
         "gate": "naming/gate", "head": "text/head", "tables": "finder/tables", "examples": "model/examples",
         "confidence": "naming/confidence"}
MODULES = list(PATHS)
TESTS = ["test_numbers", "test_identifiers", "test_units", "test_sections", "test_context", "test_parts_of_year",
         "test_check", "test_conservation", "test_grounding", "test_source", "test_rule_names", "test_copied_bulletins",
         "test_stress_set", "test_totals_and_streaks", "test_counted_after", "test_furniture", "test_gate", "test_head",
         "test_signs", "test_tables", "test_examples", "test_trace", "test_confidence", "test_web_copies"]
# What the tests read: seeds, the dev set, the independent checker in bench/, the prompts, the scripts.
COPY = ["llmx", "tests", "seeds", "eval", "bench", "prompts", "scripts", "pyproject.toml"]
SAMPLED = {"numbers"}  # --sample N applies to these (numbers.py has ~1800 mutants, the others ~200 each)
BEFORE = WORK / "verdicts-before-rerun.json"
# The tests written for mutants that survived earlier runs: each file is named for what it tests.
OWED = ["test_check_thresholds", "test_context_readings", "test_naming_rules", "test_ranks_without_numeral",
        "test_grouping_and_scope", "test_outline", "test_unit_words"]


def snapshot() -> None:
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, WORK / name, ignore=ignore)
        else:
            shutil.copy2(src, WORK / name)


def configure(owed: bool, only_owed: bool = False) -> None:
    tests = [] if only_owed else [f"tests/{t}.py" for t in TESTS]
    if owed:  # the tests written for the survivors
        tests += [f"tests/{t}.py" for t in OWED]
    lines = ["[mutmut]", "source_paths = llmx/", "only_mutate ="]
    lines += [f"    llmx/{PATHS[m]}.py" for m in MODULES]
    lines += ["also_copy =", "    seeds/", "    eval/", "    bench/", "    prompts/"]
    # hypothesis runs a fixed seed.
    lines += ["pytest_add_cli_args =", "    -p", "    no:cacheprovider", "    --hypothesis-seed=0"]
    lines += ["pytest_add_cli_args_test_selection ="] + [f"    {t}" for t in tests]
    (WORK / "setup.cfg").write_text("\n".join(lines) + "\n", encoding="utf-8")


def verdicts() -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for m in MODULES:
        meta = WORK / "mutants" / "llmx" / f"{PATHS[m]}.py.meta"
        if meta.exists():
            out |= json.loads(meta.read_text())["exit_code_by_key"]
    if BEFORE.exists():  # after a re-run of the survivors under the owed tests: the union of the two runs
        for key, code in json.loads(BEFORE.read_text()).items():
            new = out.get(key)
            out[key] = new if code in (0, 5, 33) and status(new) in ("killed", "timeout") else code
    return out


def status(code: int | None) -> str:
    if code is None:
        return "unchecked"
    return ("killed" if code in (1, 3) else "timeout" if code in (24, 36, -24, 152, 255)
            else "survived" if code == 0 else "no tests" if code in (5, 33) else "other")


def summary() -> dict[str, Counter]:
    counts = {m: Counter() for m in MODULES}
    for key, code in verdicts().items():
        c = counts[_module_of(key)]
        c["import-time" if key.startswith(IMPORT_TIME) else status(code)] += 1
    return counts


def _module_of(key: str) -> str:
    """The short name of the module a mutant key (`llmx.finder.numbers.x_scan__mutmut_3`) is in."""
    return next(m for m in MODULES if key.startswith("llmx." + PATHS[m].replace("/", ".") + "."))


def report() -> None:
    cols = ["killed", "timeout", "survived", "no tests", "unchecked"]
    print(f"{'module':10}" + "".join(f"{c:>10}" for c in cols) + f"{'checked':>9}{'rate':>8}")
    total = Counter()
    for m, c in summary().items():
        total += c
        _row(m, c, cols)
    _row("overall", total, cols)
    print("rate = (killed + timeout) / checked; checked = all mutants but the unchecked")
    if total["import-time"]:
        print(f"not counted: {total['import-time']} mutants of functions run only at import ({', '.join(IMPORT_TIME)})")
    print(f"survivors: cd {WORK.relative_to(ROOT)} && mutmut results; mutmut show <name>")


def _row(name: str, c: Counter, cols: list[str]) -> None:
    checked = sum(c[k] for k in cols) - c["unchecked"] + c["other"]
    dead = c["killed"] + c["timeout"]
    rate = f"{100 * dead / checked:.1f}%" if checked else "-"
    print(f"{name:10}" + "".join(f"{c[k]:>10}" for k in cols) + f"{checked:>9}{rate:>8}")


def todo(sample: int) -> list[str]:
    """The unchecked mutants of the sample: every mutant, but only every `sample`-th of SAMPLED modules."""
    by_module: dict[str, list[str]] = {}
    found = verdicts()
    for key in sorted(found):
        by_module.setdefault(_module_of(key), []).append(key)
    pick = [k for m, keys in by_module.items() for i, k in enumerate(keys) if m not in SAMPLED or i % sample == 0]
    return [k for k in pick if found[k] is None]


def mutmut(args: list[str], jobs: int, limit: int) -> int:
    exe = shutil.which("mutmut") or str(Path(sys.executable).with_name("mutmut"))
    return subprocess.call(["timeout", str(limit), exe, "run", "--max-children", str(jobs), *args], cwd=WORK,
                           stdout=subprocess.DEVNULL)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2, help="mutmut worker processes (default 2)")
    ap.add_argument("--limit", type=int, default=3000, help="wall-clock limit of a run, seconds (default 3000)")
    ap.add_argument("--sample", type=int, default=1, help="check every Nth mutant of numbers.py only")
    ap.add_argument("--without-owed", action="store_true", help="leave out the tests written for survivors (OWED) (the 'before')")
    ap.add_argument("--rerun-survivors", action="store_true", help="re-run the last run's survivors with all tests")
    ap.add_argument("--resume", action="store_true", help="check what the last run left unchecked (same sample)")
    ap.add_argument("--report", action="store_true", help="only print the table of the last run")
    ap.add_argument("--modules", nargs="+", choices=MODULES, help="mutate only these rule modules")
    args = ap.parse_args()
    if args.modules:
        MODULES[:] = args.modules
    rc = 0
    if args.report:
        pass
    elif (args.rerun_survivors or args.resume) and not WORK.exists():
        sys.exit("no previous run in .mutation/")
    elif args.resume:
        rc = mutmut(todo(args.sample), args.jobs, args.limit)
    elif args.rerun_survivors:
        first = verdicts()
        BEFORE.write_text(json.dumps(first), encoding="utf-8")
        for p in (ROOT / "tests" / f"{t}.py" for t in OWED):
            shutil.copy2(p, WORK / "tests" / p.name)
        # The first run's tests did not kill these: whether they die now is whether the owed tests
        # kill them, so only those run (the tests are deterministic: fixed hypothesis seed, no timing).
        configure(owed=True, only_owed=True)
        (WORK / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)  # map the tests to functions afresh
        survivors = sorted(k for k, v in first.items() if v in (0, 5, 33) and not k.startswith(IMPORT_TIME))
        rc = mutmut(survivors, args.jobs, args.limit)
    else:
        snapshot()
        configure(owed=not args.without_owed)
        if args.sample == 1:
            rc = mutmut([], args.jobs, args.limit)
        else:  # generate every mutant (and check one), then check the sample
            rc = mutmut(["llmx.naming.context.x_clause_before__mutmut_1"], args.jobs, args.limit)
            rc = mutmut(todo(args.sample), args.jobs, args.limit)
    print(f"mutmut exit status {rc}")
    report()
    return rc


if __name__ == "__main__":
    sys.exit(main())
