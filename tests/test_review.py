"""`llmx review` without a browser: the marks (nested, crossing, escaped), the originals'
checks, eval mode, and the command's errors. The browser tests are in test_browser.py."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from llmx.cli import main
from llmx.outputs.output import dump_line, read_results
from llmx.outputs.review import Span, mark_text


class _Pieces(HTMLParser):
    """The text of each `data-ref`'s pieces, in order, and the refs that carry an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: dict[str, str] = {}
        self.ids: list[str] = []
        self.plain = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.open.append(a["data-ref"])
        if "id" in a:
            assert a["id"] == a["data-ref"]
            self.ids.append(a["id"])

    def handle_endtag(self, tag):
        self.open.pop()

    def handle_data(self, data):
        self.plain += data
        for ref in self.open:
            self.text[ref] = self.text.get(ref, "") + data


def _pieces(html: str) -> _Pieces:
    p = _Pieces()
    p.feed(html)
    p.close()
    return p


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab<>&\"'{}\u202e中。", min_size=1, max_size=30).flatmap(
    lambda t: st.tuples(st.just(t), st.lists(st.tuples(st.integers(0, len(t)), st.integers(0, len(t))), max_size=6))))
def test_every_span_has_one_element_with_its_id_and_its_pieces_read_its_text(case):
    text, pairs = case
    spans = [Span(min(a, b), max(a, b), f"s{k}", "hl") for k, (a, b) in enumerate(pairs) if a != b]
    html = mark_text(text, spans)
    p = _pieces(html)
    assert p.plain == text  # nothing lost, nothing added, every character escaped back to itself
    assert sorted(p.ids) == sorted(s.ident for s in spans)
    for s in spans:
        assert p.text[s.ident] == text[s.start : s.end]


def test_hostile_text_is_escaped():
    text = '<script>alert(1)</script></textarea>"\'{{ 7*7 }}\u202e'
    html = mark_text(text, [Span(0, 8, "x", "hl")])
    assert "<script" not in html and "</textarea" not in html and "&lt;script&gt;" in html


def test_review_writes_a_page_and_eval_mode_shows_missed_and_false_first(seeds_jsonl, tmp_path):
    out = tmp_path / "review.html"
    got = CliRunner().invoke(main, ["review", str(seeds_jsonl), "-o", str(out), "--gold", "eval/gold", "--docs", "seeds"])
    assert got.exit_code == 0, got.output
    html = out.read_text(encoding="utf-8")
    results = read_results(seeds_jsonl)
    assert html.count('<tr id="row-h-') == sum(len(r.indicators) for r in results)
    assert 'id="p-eval"' in html and 'id="p-panel"' in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    first = html.index('<table class="eval">')
    statuses = [s for s in ("missed", "false", "matched") if f'<tr class="{s}"' in html[first:]]
    body = html[first: html.index("</table>", first)]
    order = [body.index(f'<tr class="{s}"') for s in statuses if f'<tr class="{s}"' in body]
    assert order == sorted(order)


def test_a_changed_original_or_a_missing_one_is_one_line_with_exit_2(seeds_jsonl, tmp_path):
    results = read_results(seeds_jsonl)
    docs = tmp_path / "docs"
    docs.mkdir()
    for r in results:
        (docs / r.doc).write_bytes(Path(r.path).read_bytes())
    (docs / results[1].doc).write_text("改过了", encoding="utf-8")
    got = CliRunner().invoke(main, ["review", str(seeds_jsonl), "-o", str(tmp_path / "x.html"), "--docs", str(docs)])
    assert got.exit_code == 2 and "changed since" in got.output and got.output.count("\n") == 1
    (docs / results[1].doc).unlink()
    got = CliRunner().invoke(main, ["review", str(seeds_jsonl), "-o", str(tmp_path / "x.html"), "--docs", str(docs)])
    assert got.exit_code == 2 and "is not there" in got.output
    assert not (tmp_path / "x.html").exists()


def test_a_failed_report_is_listed_not_dropped(seeds_jsonl, tmp_path):
    results = read_results(seeds_jsonl)
    failed = results[0].model_copy(update={"error": "endpoint down", "indicators": [], "path": "/nowhere.txt"})
    f = tmp_path / "some.jsonl"
    f.write_text("".join(dump_line(r) for r in [failed, *results[1:]]), encoding="utf-8")
    out = tmp_path / "r.html"
    assert CliRunner().invoke(main, ["review", str(f), "-o", str(out)]).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "1 failed" in html and "endpoint down" in html
