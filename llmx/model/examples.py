"""The example store: labelled figures as worked examples for the model.

Every figure of a gold-format file (the eval's gold, or an analyst's corrections exported by the
review page) is an example: its quote with the figure marked `【…】`, and its name. For each
section the model is asked about, the examples whose quotes read most like the clauses of the
section's figures (rapidfuzz's `partial_ratio`: the best-aligned stretch) go into the prompt as
worked examples — from other documents only, never the report's own. `Settings.examples` names
the folders (`llmx extract --examples DIR`, `LLMX_EXAMPLES`); with none, the prompt is as without
a store.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..finder.numbers import find_numbers

__all__ = ["Example", "ExampleStore", "EXAMPLES_PER_SECTION", "MIN_SCORE", "MIN_WORDS"]

# At most this many examples go with a section (each costs about 30 prompt tokens), and only
# those whose quote reads at least MIN_SCORE (0-100) like a clause of the section's figures.
EXAMPLES_PER_SECTION = 3
MIN_SCORE = 75.0
# A quote with fewer words than this besides its figure (`增长12%`) says nothing of what is
# measured, and reads like any clause: no example.
MIN_WORDS = 6


@dataclass(frozen=True)
class Example:
    """One labelled figure: the document it is from, its quote with the figure marked, its name."""

    doc: str
    marked: str
    name: str

    @property
    def plain(self) -> str:
        return self.marked.replace("【", "").replace("】", "")


def _marked(quote: str, value: float) -> str | None:
    """`quote` with the last figure of value `value` marked `【…】`, or None when it states none."""
    hits = [m for m in find_numbers(quote) if m.category in ("quantity", "rank") and abs(m.value - value) < 1e-9]
    if not hits:
        return None
    m = hits[-1]
    return f"{quote[: m.start]}【{quote[m.start : m.end]}】{quote[m.end :]}"


def _read(path: Path) -> list[Example]:
    """The examples of one gold-format file: one document's gold, or a list of them (the
    review page's corrections)."""
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
        items = []
        for gold in loaded if isinstance(loaded, list) else [loaded]:
            doc = str(gold.get("doc") or path.stem)
            items += [(doc, str(i["quote"]), float(i["value"]), str(i["name"])) for i in gold.get("indicators", [])]
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InputError(path, f"not a gold-format file of examples ({type(exc).__name__}: {exc})") from None
    return [Example(doc, marked, name) for doc, quote, value, name in items
            if name.strip() and (marked := _marked(quote, value)) is not None
            and len(re.sub(r"【[^】]*】", "", marked).strip()) >= MIN_WORDS]


class ExampleStore:
    """Labelled figures, searched by how their quotes read like a section's clauses."""

    def __init__(self, examples: Iterable[Example]) -> None:
        self.examples: tuple[Example, ...] = tuple(examples)
        self._plain = [e.plain for e in self.examples]

    @classmethod
    def from_dirs(cls, dirs: Sequence[Path]) -> "ExampleStore":
        """Every figure of every `*.json` gold file in `dirs` (`InputError` naming a folder that
        is missing or a file that cannot be read)."""
        examples: list[Example] = []
        for d in dirs:
            if not Path(d).is_dir():
                raise InputError(d, "no such folder of examples (give folders of gold-format .json files)")
            for path in sorted(Path(d).glob("*.json")):
                examples += _read(path)
        return cls(examples)

    def __len__(self) -> int:
        return len(self.examples)

    def similar(self, clauses: Sequence[str], doc: str, k: int = EXAMPLES_PER_SECTION) -> list[Example]:
        """The examples, from documents other than `doc`, that read most like `clauses` (a
        section's figures' clauses): each clause's best first, then the next best, at most `k`,
        no name twice."""
        from rapidfuzz import fuzz, process

        own = {doc, Path(doc).stem}
        ranked: list[list[tuple[float, int]]] = []
        for clause in clauses:
            hits = process.extract(clause, self._plain, scorer=fuzz.partial_ratio, limit=k + 8,
                                   score_cutoff=MIN_SCORE)
            ranked.append([(score, i) for _, score, i in hits
                           if self.examples[i].doc not in own and Path(self.examples[i].doc).stem not in own])
        chosen: list[Example] = []
        names: set[str] = set()
        for depth in range(k + 8):
            for hits in ranked:
                if depth < len(hits) and len(chosen) < k:
                    example = self.examples[hits[depth][1]]
                    if example.name not in names:
                        chosen.append(example)
                        names.add(example.name)
        return chosen
