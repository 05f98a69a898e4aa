"""Web pages (.html, .htm), read with selectolax (`pip install 'llmx[html]'`).

Why selectolax, not trafilatura: a work report's figures sit in short lines and in
tables, and llmx must see every one of them in place. trafilatura decides by
heuristics what the main text is and rewrites it (it drops lines it scores as
boilerplate, flattens or leaves out tables, and brings a dozen packages with it);
selectolax is one small, fast HTML5 parser (lexbor), and the rules below, which
say exactly what is dropped, are llmx's own and tested.

What is read: the page's `<article>`, `<main>` or `role="main"` element (the one with
the most text, if several), else its `<body>`; inside it, never `<nav>`, `<header>`,
`<footer>`, `<aside>`, forms, scripts, styles, nor an element whose id or class says
it is navigation, a menu, a breadcrumb trail, a sidebar, a footer, a share bar or
the copyright notice (`class="footer"`, `id="breadcrumb"`, `class="nav-bar"`, …). A
block element (`<p>`, `<div>`, `<h1>`, `<li>`, …) and `<br>` end a line; white space
inside a line is one space, as a browser shows it. A table row is one line of its
cells separated by one space (`llmx.text.readers.cell_text`; `colspan` and `rowspan`
keep the cells in their columns, with `—` at the places a spanning cell covers).

The file's encoding is the one its byte-order mark or `<meta charset>` names
(GB2312 and GBK read as GB18030), else detected as for a .txt.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ...errors import NotTextError, UnreadableDocumentError
from ..source import decode
from . import EMPTY_CELL, Extracted, cell_text, need

__all__ = ["read"]

_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form",
              "iframe", "button", "select", "textarea", "object", "canvas", "head")
_BOILERPLATE = re.compile(
    r"(?:^|[-_])(?:nav|navbar|navigation|menu|menus|footer|foot|header|breadcrumbs?|crumbs?|sidebar|share|"
    r"copyright|toolbar|banner|pager|pagination|topbar|bottom)(?:$|[-_\d])", re.I)
_BOILERPLATE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu"})
_BLOCKS = frozenset(
    "address article blockquote body caption center dd details dialog div dl dt fieldset figcaption figure "
    "h1 h2 h3 h4 h5 h6 hgroup hr li main ol p pre section summary table tbody tfoot thead ul".split())
_CELLS = ("td", "th")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SPACE = re.compile(r"\s+")


def read(path: Path) -> Extracted:
    """The main text of a web page, one line per block and per table row."""
    lexbor = need("selectolax", "html", path, module="selectolax.lexbor")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotTextError(path, f"cannot be read: {exc.strerror or exc}") from None
    try:
        tree = lexbor.LexborHTMLParser(_decode(data, path))
    except Exception as exc:  # noqa: BLE001 - the parser's own errors
        raise UnreadableDocumentError(path, f"cannot be parsed as HTML ({type(exc).__name__}: {exc})") from None
    root = tree.body or tree.root
    if root is None:
        return Extracted(text="", format="html")
    _drop_boilerplate(root)
    main = [n for sel in ("article", "main", "[role=main]") for n in root.css(sel)]
    if main:
        root = max(main, key=lambda n: len(n.text(deep=True) or ""))
    return Extracted(text="\n".join(_lines(root)), format="html")


def _decode(data: bytes, path: Path) -> str:
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _META_CHARSET.search(data[:4096])
        if m:
            name = m.group(1).decode("ascii").lower()
            name = "gb18030" if name in ("gb2312", "gbk", "x-gbk", "gb_2312-80") else name
            try:
                return data.decode(codecs.lookup(name).name)
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong or unknown charset: detect it as for a text file
    return decode(data, path)[0]


def _drop_boilerplate(root) -> None:
    for tag in _DROP_TAGS:
        for node in root.css(tag):
            node.decompose()
    for node in root.css("[class], [id], [role]"):
        attrs = node.attributes
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".split()
        if (attrs.get("role") or "").lower() in _BOILERPLATE_ROLES or any(_BOILERPLATE.search(n) for n in names):
            node.decompose()


def _lines(root) -> list[str]:
    """The lines of `root`'s text: a walk that ends a line at each block's start and end."""
    lines: list[str] = []
    current: list[str] = []
    spans: dict[int, dict[int, int]] = {}  # by table: column -> rows a `rowspan` cell above still covers

    def flush() -> None:
        line = _SPACE.sub(" ", "".join(current)).strip()
        current.clear()
        if line:
            lines.append(line)

    stack = [root]
    while stack:
        node = stack.pop()
        if node is None:  # the end of a block
            flush()
            continue
        tag = node.tag
        if tag == "-text":
            current.append(node.text_content or "")
        elif tag == "br":
            flush()
        elif tag == "tr":
            flush()
            table = next((a for a in _ancestors(node) if a.tag == "table"), node)
            lines.append(" ".join(_row(node, spans.setdefault(table.mem_id, {}))))
        elif not tag.startswith("-"):  # an element (not a comment)
            children = list(node.iter(include_text=True))
            if tag in _BLOCKS:
                flush()
                stack.append(None)
            stack.extend(reversed(children))
    flush()
    return lines


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def _row(tr, spans: dict[int, int]) -> list[str]:
    """A table row's cells, each as one token, spans kept in their columns (see the module's
    docstring); `spans` is the table's: column -> rows a cell above still covers (updated)."""
    cells: list[str] = []

    def covered() -> None:  # the places that cells of rows above span down to
        while spans.get(len(cells), 0) > 0:
            spans[len(cells)] -= 1
            cells.append(EMPTY_CELL)

    for cell in (n for n in tr.iter() if n.tag in _CELLS):
        covered()
        width, height = _span(cell, "colspan"), _span(cell, "rowspan")
        if height > 1:
            spans.update(dict.fromkeys(range(len(cells), len(cells) + width), height - 1))
        cells.append(cell_text(cell.text(deep=True, separator=" ") or ""))
        cells.extend([EMPTY_CELL] * (width - 1))
    covered()
    return cells or [EMPTY_CELL]



def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int(cell.attributes.get(attr) or 1), 100))
    except ValueError:
        return 1
