"""Load a report and clean it without losing the way back to the original.

`load_source` reads bytes, detects the encoding (UTF-8 is tried strictly
first; anything else is detected with charset-normalizer among the encodings
Chinese government files actually use), and returns a `Source`: the original
text, a cleaned text for reading, and an offset map between them.

Every offset llmx reports is a character offset into `Source.original`, the
decoded file: a UTF-8 byte order mark is not part of it (read the file with
`encoding="utf-8-sig"` to index it alike; `Source.encoding` is then `utf_8_sig`), and UTF-16
without a byte order mark is recognised by which byte order reads as text. Cleaning only deletes characters or replaces one by one, so each
cleaned character knows the original character it came from.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EmptyDocumentError, NotTextError

__all__ = ["Source", "load_source", "clean_text"]

# charset-normalizer may only choose among these (detect, don't guess).
_CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "gbk", "big5", "utf_16"]

# One-for-one replacements: full-width digits and signs, and every kind of space, to ASCII.
_FULLWIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "．": ".", "\u3000": " ", "\xa0": " ",
     "\u2212": "-", "－": "-", "\u2028": "\n", "\u2029": "\n",
     **{chr(c): " " for c in (*range(0x2000, 0x200B), 0x202F, 0x205F)}}
)
# Invisible characters that a copy from a web page or a PDF leaves inside words and numbers:
# zero-width spaces and joiners, bidi marks and embeddings, the soft hyphen, the BOM.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Digit grouping that is unambiguous: a full-width comma between full-width digits
# (`１，２３４`), or a thin / narrow no-break space (never a plain space) before three digits.
_FW_GROUP = re.compile("(?<=[０-９])，(?=[０-９]{3}(?![０-９]))")
_THIN_GROUP = re.compile("(?<=[0-9０-９])[\u2009\u202f](?=[0-9０-９]{3}(?![0-9０-９]))")
_CJK = r"\u3400-\u9fff"
_SENTENCE_END = "。；！？：:;!?”」）)"
_HEADING_START = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、](?!\d)")


@dataclass(frozen=True)
class Source:
    """A decoded report: `original` as in the file, `text` cleaned, `offsets[i]` the
    index in `original` of `text[i]` (with one extra entry for the end)."""

    path: str
    original: str
    text: str
    offsets: tuple[int, ...] = field(repr=False)
    encoding: str = "utf_8"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.original.encode("utf-8")).hexdigest()

    @property
    def name(self) -> str:
        return Path(self.path).name

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a `[start, end)` span of the cleaned text to the original text."""
        if start >= end:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise NotTextError(path, "is a directory, not a report file") from None
    except FileNotFoundError:
        raise NotTextError(path, "no such file") from None
    except OSError as exc:
        raise NotTextError(path, f"cannot be read: {exc.strerror or exc}") from None


def decode(data: bytes, path: object = "<bytes>") -> tuple[str, str]:
    """Decode report bytes; return (text, encoding). Raises `NotTextError`."""
    if data.startswith(b"\xef\xbb\xbf"):  # not part of the text: offsets count from after it
        return _decode_utf8(data[3:], path), "utf_8_sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf_16"
    if b"\x00" in data and (utf16 := _utf16_without_bom(data)) is not None:
        return utf16
    if b"\x00" in data:
        raise NotTextError(path, "contains NUL bytes: this is a binary file, not a text report")
    try:
        return data.decode("utf-8"), "utf_8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATE_ENCODINGS).best()
    if best is None:
        raise NotTextError(
            path, "encoding not recognised (tried UTF-8, GB18030/GBK, Big5, UTF-16): is this a text report?"
        )
    return str(best), best.encoding


def _decode_utf8(data: bytes, path: object) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotTextError(path, "starts with a UTF-8 byte order mark but is not UTF-8") from None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text written without a byte order mark (Windows tools do): the byte order whose
    reading is text (no control characters but line breaks and tabs, no unassigned or private
    characters), or None when neither is."""
    if len(data) % 2:
        return None
    for codec in ("utf_16_le", "utf_16_be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t\f")
                  or 0xE000 <= ord(ch) <= 0xF8FF or 0xD800 <= ord(ch) <= 0xDFFF)
        if text.strip() and bad <= len(text) // 200:
            return text, codec
    return None


def load_source(path: str | Path) -> Source:
    """Read and clean one report file. Raises `InputError` subclasses naming the file."""
    p = Path(path)
    text, encoding = decode(_read_bytes(p), p)
    if not text.strip():
        raise EmptyDocumentError(p, "is empty: there is no text to extract from")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise NotTextError(p, f"holds {controls} control characters: this looks like a binary file")
    return clean_text(text, path=str(p), encoding=encoding)


class _Builder:
    """Text plus per-character origin, edited by regex passes that only delete
    characters or replace them one for one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.origin = list(range(len(text)))

    def delete(self, pattern: re.Pattern[str]) -> None:
        self.delete_spans([m.span() for m in pattern.finditer(self.text)])

    def delete_spans(self, spans: list[tuple[int, int]]) -> None:
        """Delete the sorted, non-overlapping `[s, e)` spans of the current text."""
        text: list[str] = []
        origin: list[int] = []
        pos = 0
        for s, e in spans:
            text.append(self.text[pos:s])
            origin.extend(self.origin[pos:s])
            pos = e
        text.append(self.text[pos:])
        origin.extend(self.origin[pos:])
        self.text = "".join(text)
        self.origin = origin


_MARKUP = re.compile(r"\*\*|\[bookmark: [^\]]*\]")
_CR = re.compile(r"\r")
# A space between two CJK characters, or between a number and CJK, as PDF conversion leaves
# them. Never a space between two numbers (`213 198 7.6%` is three table cells, not one figure).
_WORDS = f"{_CJK}，。、；：“”（）"
_INNER_SPACE = re.compile(rf"(?<=[{_WORDS}])[ \t]+(?=[{_WORDS}\d%])|(?<=[\d%])[ \t]+(?=[{_WORDS}])")
# A line laid out in columns (a table's header or row: three or more cells apart, no clause
# punctuation) keeps its spaces: they separate cells (see `llmx.finder.tables`).
_CELL = r"(?:[^\s，。；：、,;]|(?<=\d),(?=\d))+"
_COLUMNS = re.compile(rf"(?m)^[ \t]*{_CELL}(?:[ \t]+{_CELL}){{2,}}[ \t]*$")


# Half-width punctuation in Chinese prose (text copied from web pages and PDFs writes `, ; : ( )`
# where a report writes `，；：（）`): read as its full-width twin, one character for one, so
# that clauses and sentences are cut alike whatever the copy (offsets unchanged). A comma
# between two digits groups them (`1,234`), a colon between two digits tells the time
# (`10:58`), and punctuation among Latin letters (a URL, `e.g.`) is left as it is.
_HALF_WIDTH = re.compile(rf"(?<![0-9A-Za-z]),|,(?![0-9A-Za-z ])|;|(?<=[{_CJK}%）])[:?!]|[:?!](?=[ ]*[{_CJK}“])")
_FULL_TWIN = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
# A pair of half-width brackets in Chinese prose (`总值(GDP)`, `(一)`): both become full-width.
_HALF_BRACKETS = re.compile(rf"(?<=[{_CJK}])\(([^()\n]{{0,60}})\)|\(([^()\n]{{0,60}}[{_CJK}][^()\n]{{0,60}})\)")


def full_width_punctuation(text: str) -> str:
    """`text` with the half-width punctuation of Chinese prose as its full-width twin (same length)."""
    text = _HALF_WIDTH.sub(lambda m: _FULL_TWIN[m.group()], text)
    return _HALF_BRACKETS.sub(lambda m: "（" + (m.group(1) if m.group(1) is not None else m.group(2)) + "）", text)


def _inside(i: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in spans)


_SPACE_RUN = re.compile(r"(?<=[ \t]) [ \t]*|(?<=\n)[ \t]+|[ \t]+(?=\n)")
_BLANK_LINES = re.compile(r"(?<=\n)\n+")
_LINE_BREAKS = re.compile(r"\n+")


_OPEN_END = "。；！？：;!?:”）)"


def _wrap_width(text: str) -> int | None:
    """The width a hard-wrapped copy (a PDF copied line by line) cuts its paragraphs at, or
    None. Such a copy's prose lines (20 characters or more, no heading) mostly end in the
    middle of a sentence at about one width: at least 5 of them, and 60 % of those that end
    open, lie within 3 characters of their median length (half-width digits make the widths
    differ a little). A report whose paragraphs are whole lines has few lines that end open,
    and those (titles, table rows) are of all lengths."""
    lines = [line.strip() for line in text.split("\n")]
    open_ = sorted(len(line) for line in lines
                   if len(line) >= 20 and not _HEADING_START.match(line) and line[-1] not in _OPEN_END)
    if len(open_) < 5:
        return None
    median = open_[len(open_) // 2]
    near = sum(1 for n in open_ if abs(n - median) <= 3)
    return median if near >= 5 and near >= 0.6 * len(open_) else None


# A number is not cut by a line break after a short line (`附件1`, a label or a caption) nor
# before a year (`…附件1⏎2025年…`): joining them would invent a figure (`12025`).
_LABEL_LINE = 8
_YEAR_AHEAD = re.compile(r"(?:19|20)\d{2}[ \t]*年")


def _join_broken_words(b: _Builder) -> None:
    """Delete the line break inside a word or a number split across a page (`营\\n\\n收`,
    `19\\n\\n7.54亿`).

    A break is joined only when the line before it stops without sentence-final
    punctuation and the next line is not a heading; inside a word, only when the line
    before is a long paragraph line; inside a number, only when a digit (or a decimal
    point) stands on both sides and the line before is prose (it holds a CJK character
    and is not a table row): a line does not end in the middle of a number otherwise,
    whatever its width (a PDF copied at 30 characters a line cuts `19⏎7.5亿元` too). In a
    hard-wrapped copy (`_wrap_width`), every line of about its width that ends open goes on in
    the next line (`提高0.6个百分⏎点` is one figure), as a paragraph should.
    """
    spans = []
    width = _wrap_width(b.text)
    for m in _LINE_BREAKS.finditer(b.text):
        line_start = b.text.rfind("\n", 0, m.start()) + 1
        after = b.text[m.end() : m.end() + 8]
        before = b.text[m.start() - 1]
        line = b.text[line_start : m.start()]
        in_number = (
            (before.isdigit() or before == ".") and re.match(r"\.?\d", after)
            and re.search(rf"[{_CJK}]", line) and not _COLUMNS.fullmatch(line)
            and len(line.strip()) >= _LABEL_LINE and not _YEAR_AHEAD.match(after)
        )
        next_line = b.text[m.end() : (b.text.find("\n", m.end()) + 1 or len(b.text) + 1) - 1]
        wrapped = (width is not None and len(line.strip()) >= width - 3 and re.match(rf"[{_CJK}“‘\d，。、；：）%]", after)
                   and not _COLUMNS.fullmatch(line) and not _COLUMNS.fullmatch(next_line))  # a table's rows stay rows
        if (
            before not in _SENTENCE_END
            and ((m.start() - line_start >= 60 and re.match(rf"[{_CJK}“‘]", after)) or in_number or wrapped)
            and not _HEADING_START.match(after)
        ):
            spans.append(m.span())
    b.delete_spans(spans)


def clean_text(original: str, path: str = "<text>", encoding: str = "utf_8") -> Source:
    """Clean `original` for reading and keep the offset map (see `Source`)."""
    grouped = _FW_GROUP.sub(",", original)  # one for one: offsets unchanged
    b = _Builder(grouped.translate(_FULLWIDTH))
    for pattern in (_INVISIBLE, _THIN_GROUP, _CR, _MARKUP):
        b.delete(pattern)
    columns = [m.span() for m in _COLUMNS.finditer(b.text)]
    b.delete_spans([m.span() for m in _INNER_SPACE.finditer(b.text) if not _inside(m.start(), columns)])
    for pattern in (_SPACE_RUN, _BLANK_LINES):
        b.delete(pattern)
    _join_broken_words(b)
    b.text = full_width_punctuation(b.text)  # one for one: the origins stand
    offsets = tuple(b.origin) + (len(original),)
    return Source(path=path, original=original, text=b.text, offsets=offsets, encoding=encoding)
