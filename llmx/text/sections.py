"""Split a cleaned report into sections along its heading hierarchy.

The reports use `一、` (level 1), `（一）`/`(一)` (level 2), `1.`/`（1）` (level 3),
part headings such as `2025年工作要点` (level 0) and, inside paragraphs, the
inline `一是…二是…`. A section is one paragraph (or a piece of one) with the
path of headings above it; its span indexes `Source.text`, and
`Source.to_original` maps it back to the file.

Paragraphs longer than `max_chars` are cut at `一是/二是` markers or sentence
ends (。；！？), and a sentence that is still too long at a comma that is not
inside a number, so no figure is ever split between two sections.

No figure is lost to the outline: a heading line that states a figure (`1．新增
研发机构20个`) is also a section of its own, and a numbered line that ends like a
clause (`（一）……力争达到600亿元；`) is a list item, content, not a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..finder.numbers import find_numbers
from .source import Source

__all__ = ["Section", "Outline", "outline", "split_sections", "meta_block", "wraps"]

_CN = "一二三四五六七八九十"
_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(r"^\d{4}年度?(?:工作总结|工作要点|工作计划|工作思路|主要工作|工作安排)$")),
    (1, re.compile(rf"^[{_CN}]+、")),
    (2, re.compile(rf"^[（(][{_CN}]+[）)]")),
    (3, re.compile(r"^(?:\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])")),
)
_HEADING_MAX = 40  # a heading line is short; a longer line is a paragraph that opens with its heading
_INLINE = re.compile(rf"[{_CN}]是(?=[^，,。；])")
_SENTENCE = re.compile(r"[。；！？;!?]")
_CLAUSE = re.compile(r"[，,、](?!\d)")
# The words of a report's title (its kind of report): `…工作总结`, `…工作要点`, `…工作打算`,
# `…关于2024年度…工作情况的报告`, `…统计公报`. `llmx.pipeline.meta` reads the title by the same words.
TITLE_WORDS = re.compile(r"工作(?:总结|计划|要点|思路|安排|打算|设想)|工作(?:开展)?情况的?报告|统计公报")
_NOT_TITLE = re.compile(r"通知|附件|现将|印发给")
_BODY_LINE = 60
_ITEM_END = frozenset("；;。")


@dataclass(frozen=True)
class Section:
    """A piece of the report sent to the model as one unit."""

    index: int
    path: tuple[str, ...]
    start: int
    end: int
    text: str

    @property
    def heading(self) -> str:
        return " > ".join(self.path)


@dataclass(frozen=True)
class Outline:
    """The report's meta block span and its sections (spans in `Source.text`)."""

    meta_start: int
    meta_end: int
    sections: tuple[Section, ...]


def _level(line: str) -> int | None:
    for level, pattern in _LEVELS:
        if pattern.match(line):
            return level
    return None


def _is_list_item(line: str) -> bool:
    """A short numbered line that ends like a clause (`（一）技术合同成交额力争达到600亿元；`)
    is an item of a list, content rather than a heading: it does not enter the path.
    (A long line that opens with a heading is a paragraph under that heading.)"""
    return len(line) <= _HEADING_MAX and line.rstrip()[-1:] in _ITEM_END


def _has_quantity(line: str) -> bool:
    """Whether a heading line states a figure of its own, which must be extracted too."""
    return any(m.is_quantity for m in find_numbers(line))


def _heading_of(line: str) -> str:
    """The heading words of a heading line or of a paragraph that opens with one."""
    if len(line) <= _HEADING_MAX:
        return line.rstrip("。")
    m = _SENTENCE.search(line)
    return line[: m.start()] if m and m.start() <= _HEADING_MAX else line[:_HEADING_MAX] + "…"


# A line that only wraps a paragraph (text copied from a PDF with a hard break every 30–40
# characters): long, ending inside a sentence, followed by more of it. Not a table row.
_WRAP_MIN = 20
_ROW = re.compile(r"\S+(?:[ \t\u3000]+\S+){2,}")
_PROSE = re.compile(r"[，,、；;]")  # a title, a signature or a date line has none


def wraps(line: str, following: str) -> bool:
    """Whether `line` is only a wrapped piece of one paragraph that `following` goes on."""
    line, following = line.strip(), following.strip()
    return (len(line) >= _WRAP_MIN and line[-1] not in "。！？!?；;：:" and bool(following)
            and _level(line) is None and _level(following) is None and bool(_PROSE.search(line))
            and not TITLE_WORDS.search(line)
            and not _ROW.fullmatch(line) and not _ROW.fullmatch(following))


def _stacked(line: str, following: str) -> bool:
    """Whether `line` and `following` are cells of one table copied one cell a line, each
    ending in `|` (`llmx.finder.tables`): the table is one paragraph."""
    return line.rstrip().endswith("|") and following.rstrip().endswith("|")


def _lines(text: str) -> list[tuple[int, int]]:
    """The paragraphs of `text` as spans: its non-blank lines, a paragraph wrapped over several
    lines (`wraps`) as one span, a table copied one cell a line (`_stacked`) as one span."""
    spans: list[tuple[int, int]] = []
    pos, joined = 0, False
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            if joined:
                spans[-1] = (spans[-1][0], pos + len(line))
            else:
                spans.append((pos, pos + len(line)))
            joined = i + 1 < len(lines) and (wraps(line, lines[i + 1]) or _stacked(line, lines[i + 1]))
        pos += len(line) + 1
    return spans


def meta_block(text: str) -> tuple[int, int]:
    """The span of the document's head (issuer, 文号, title, date): up to its last
    title line (`…工作总结`, `…工作要点`) before the first body line; empty when the
    report has no such title."""
    end = 0
    for s, e in _lines(text):
        line = text[s:e]
        if e - s >= _BODY_LINE or _level(line) in (1, 2, 3) or s > 1500:
            break
        if TITLE_WORDS.search(line) and not _NOT_TITLE.search(line):
            end = e
    return 0, end


def _cut_points(text: str, start: int, end: int, max_chars: int) -> list[int]:
    """Offsets inside [start, end) where a long paragraph is cut, greedily packing pieces."""
    candidates = sorted(
        {m.start() for m in _INLINE.finditer(text, start, end) if m.start() > start}
        | {m.end() for m in _SENTENCE.finditer(text, start, end) if m.end() < end}
    )
    cuts, piece_start, last_ok = [], start, None
    for c in candidates + [end]:
        if c - piece_start > max_chars and last_ok is not None:
            cuts.append(last_ok)
            piece_start = last_ok
        last_ok = c
    # A single sentence longer than max_chars: cut it at clause commas not followed by a digit.
    out, prev = [], start
    for c in cuts + [end]:
        while c - prev > max_chars:
            commas = [m.end() for m in _CLAUSE.finditer(text, prev, prev + max_chars) if m.end() > prev + 1]
            if not commas:
                break
            out.append(commas[-1])
            prev = commas[-1]
        if c != end:
            out.append(c)
            prev = c
    return out


def split_sections(source: Source, max_chars: int = 400) -> Outline:
    """Build the outline of `source`: meta block, then sections in document order."""
    text = source.text
    meta_start, meta_end = meta_block(text)
    path: list[tuple[int, str]] = []
    sections: list[Section] = []
    for s, e in _lines(text):
        if e <= meta_end:
            line = text[s:e]
            if _level(line) == 0:
                path = [(0, line)]
            continue
        line = text[s:e]
        level = _level(line)
        if level is not None and not _is_list_item(line):
            path = [p for p in path if p[0] < level] + [(level, _heading_of(line))]
            if e - s <= _HEADING_MAX and not _has_quantity(line):
                continue
        bounds = [s, *_cut_points(text, s, e, max_chars), e]
        heads = tuple(h for _, h in path)
        for a, b in zip(bounds, bounds[1:]):
            sections.append(Section(len(sections), heads, a, b, text[a:b]))
    return Outline(meta_start, meta_end, tuple(sections))


def outline(source: Source, max_chars: int = 400) -> Outline:
    """Alias of `split_sections` kept for readability at call sites."""
    return split_sections(source, max_chars)
