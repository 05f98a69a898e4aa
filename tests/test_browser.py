"""The review page in a real browser: headless Chromium (Debian's `chromium`, driven by
Playwright's Python API through its executable path; no browser download) opens the
page from disk. Skipped, saying why, only where no Chromium is installed (`.ci/run`
installs it: `apt-get install chromium fonts-noto-cjk`).

The screenshot for the README goes to $LLMX_EVAL_OUT/review.png (default .eval-out/).
"""

from __future__ import annotations

import hashlib

import os
import shutil
from pathlib import Path

import pytest

from llmx.models import Indicator, Meta, ReportResult
from llmx.outputs.output import read_results
from llmx.outputs.review import render_review, write_review

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
HOSTILE = ('<script>window.__pwned = 1</script></textarea><img src=x onerror="window.__pwned = 2">'
           '"quotes" \'single\' {{ 7*7 }} {% raw %} \u202eevil\u202c \u2066iso\u2069 &amp; ')


def _chromium() -> str | None:
    return os.environ.get("LLMX_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    exe = _chromium()
    if exe is None:
        pytest.skip("no Chromium installed (apt-get install chromium fonts-noto-cjk; .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[dev]'")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=exe, headless=True, args=ARGS,
            viewport={"width": 1100, "height": 800}, service_workers="block",
        )
        yield ctx
        ctx.close()


class Opened:
    """A page with what it requested and said on its console."""

    def __init__(self, ctx, path: Path) -> None:
        self.page = ctx.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)


@pytest.fixture(scope="module")
def seeds_page(browser, seeds_jsonl, tmp_path_factory):
    results = read_results(seeds_jsonl)
    out = tmp_path_factory.mktemp("review") / "review.html"
    write_review(render_review(results, docs_dir=ROOT / "seeds", gold_dir=ROOT / "eval" / "gold"), out)
    opened = Opened(browser, out)
    yield opened, results
    opened.page.close()


def test_every_indicator_has_one_mark_whose_text_is_its_quote(seeds_page):
    opened, results = seeds_page
    marks = opened.page.evaluate("""() => {
        const out = {};
        document.querySelectorAll('mark[data-ref^="h-"]').forEach(m => {
            const r = m.dataset.ref;
            out[r] = out[r] || {ids: 0, text: ""};
            out[r].text += m.textContent;
            if (m.id === r) { out[r].ids += 1; }
        });
        return out;
    }""")
    expected = {f"h-{n}-{k}": ind.quote for n, r in enumerate(results) for k, ind in enumerate(r.indicators)}
    assert set(marks) == set(expected)
    for ref, quote in expected.items():
        assert marks[ref] == {"ids": 1, "text": quote}, ref


def test_a_row_focuses_its_mark_and_the_mark_its_row(seeds_page):
    page = seeds_page[0].page
    page.click("#tab-table")
    row = page.locator("#ind-table tbody tr").nth(7)
    ref = row.get_attribute("data-ref")
    row.click()
    assert page.evaluate("document.activeElement.id") == ref
    assert page.is_visible(f"#{ref}") and not page.is_visible("#p-table")
    assert page.locator(f"#{ref}").evaluate("m => m.classList.contains('active')")
    assert page.inner_text("#tip").startswith(page.locator(f"#row-{ref} td").nth(1).inner_text())
    # a mark may hold another (a rank's quote holds its figure's): a click lands on the innermost,
    # so the way back is taken by keyboard, on the mark itself
    page.focus(f"#{ref}")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == f"row-{ref}"
    # and a click on a mark nests nothing inside: the innermost mark's row
    inner = page.evaluate("() => [...document.querySelectorAll('mark.k-actual[id]')].find(m => !m.querySelector('mark')).id")
    page.click("#tab-text")
    page.locator(f"#{inner}").click()
    assert page.evaluate("document.activeElement.id") == f"row-{inner}"
    # and by keyboard: Enter on a focused row
    other = page.locator("#ind-table tbody tr").nth(3)
    other.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == other.get_attribute("data-ref")


def _visible_rows(page) -> int:
    return page.evaluate("[...document.querySelectorAll('#ind-table tbody tr')].filter(r => !r.hidden).length")


def test_filters_show_exactly_the_matching_rows(seeds_page):
    opened, results = seeds_page
    page = opened.page
    page.click("#tab-table")
    inds = [(r.doc, i) for r in results for i in r.indicators]
    assert _visible_rows(page) == len(inds)
    page.select_option("#f-kind", "target")
    assert _visible_rows(page) == sum(1 for _, i in inds if i.kind == "target") > 0
    page.select_option("#f-kind", "")
    stem = Path(results[2].doc).stem
    page.select_option("#f-doc", stem)
    assert _visible_rows(page) == len(results[2].indicators)
    page.select_option("#f-doc", "")
    page.select_option("#f-unit", "亿元")
    assert _visible_rows(page) == sum(1 for _, i in inds if i.unit == "亿元") > 0
    page.select_option("#f-unit", "")
    page.select_option("#f-period", "2024")
    assert _visible_rows(page) == sum(1 for _, i in inds if i.period == "2024") > 0
    page.fill("#f-name", "高新技术")
    assert _visible_rows(page) == sum(1 for _, i in inds if i.period == "2024" and "高新技术" in i.name) > 0
    page.fill("#f-name", "")
    page.select_option("#f-period", "")
    assert _visible_rows(page) == len(inds)


def test_sorting_by_value_orders_the_rows(seeds_page):
    page = seeds_page[0].page
    page.click("#tab-table")
    page.click("#ind-table th button[data-key=value]")
    values = page.evaluate("[...document.querySelectorAll('#ind-table tbody tr')].map(r => parseFloat(r.dataset.value))")
    assert values == sorted(values)
    page.click("#ind-table th button[data-key=value]")
    values = page.evaluate("[...document.querySelectorAll('#ind-table tbody tr')].map(r => parseFloat(r.dataset.value))")
    assert values == sorted(values, reverse=True)


def test_panel_and_eval_tabs_link_to_marks(seeds_page):
    page = seeds_page[0].page
    page.click("#tab-panel")
    button = page.locator("#findings button.ref").first
    ref = button.get_attribute("data-ref")
    button.click()
    assert page.evaluate("document.activeElement.id") == ref
    page.click("#tab-eval")
    first = page.locator("table.eval tbody tr").first.get_attribute("class")
    assert first in ("missed", "false")


def test_nothing_is_fetched_and_the_console_is_clean(seeds_page):
    opened, _ = seeds_page
    assert set(opened.requests) == {opened.url}
    assert opened.problems == []


def test_a_phone_width_window_has_no_sideways_page_scroll_and_uses_a_cjk_font(browser, seeds_page):
    page = seeds_page[0].page
    page.set_viewport_size({"width": 375, "height": 740})
    page.click("#tab-table")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.click("#tab-text")
    assert width <= 375 and page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1100, "height": 800})
    # the CJK font chosen by the page is one the system has (fonts-noto-cjk)
    fonts = page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '科技')")
    assert fonts


def test_the_screenshot_for_the_readme(seeds_page):
    page = seeds_page[0].page
    page.set_viewport_size({"width": 900, "height": 560})
    page.click("#tab-text")
    target = page.locator("#ind-table tbody tr").filter(has_text="技术合同成交额").first.get_attribute("data-ref")
    page.evaluate("ref => { const m = document.getElementById(ref); m.scrollIntoView({block: 'center'}); m.focus(); }", target)
    out = Path(os.environ.get("LLMX_EVAL_OUT", ROOT / ".eval-out"))
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / "review.png"))
    page.set_viewport_size({"width": 1100, "height": 800})
    assert (out / "review.png").stat().st_size > 10_000


def test_hostile_report_text_renders_as_text(browser, tmp_path):
    text = f"标题\n{HOSTILE}新增企业12家。\n"
    doc = tmp_path / "hostile.txt"
    doc.write_text(text, encoding="utf-8")
    quote = f"{HOSTILE}新增企业12家"
    start = text.index(quote)
    ind = Indicator(name=f"企业{HOSTILE}", value=12, unit="家", kind="actual", period="2024", approx="exact",
                    quote=quote, start=start, end=start + len(quote))
    result = ReportResult(doc="hostile.txt", path=str(doc), meta=Meta(region=HOSTILE, kind="summary", years=[2024]),
                          indicators=[ind], sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())  # verifiable
    out = tmp_path / "hostile.html"
    write_review(render_review([result]), out)
    opened = Opened(browser, out)
    page = opened.page
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img, textarea').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 2  # the page's own data and code
    assert page.locator("#h-0-0").text_content() == quote
    page.focus("#h-0-0")
    assert page.inner_text("#tip").startswith(f"企业{HOSTILE}".strip()[:20])
    page.click("#tab-table")
    assert page.locator("#row-h-0-0 td").nth(1).text_content() == f"企业{HOSTILE}"
    assert set(opened.requests) == {opened.url} and opened.problems == []
    page.close()


def test_a_corrected_name_downloads_as_gold_that_the_example_store_reads(seeds_page, tmp_path):
    from llmx.model.examples import ExampleStore

    opened, results = seeds_page
    page = opened.page
    page.click("#tab-table")
    for f in ("#f-doc", "#f-kind", "#f-period", "#f-unit"):
        page.select_option(f, "")
    page.fill("#f-name", "")
    row = page.locator("#ind-table tbody tr").nth(2)
    cell = row.locator("td.name")
    cell.click()
    assert page.is_visible("#p-table")  # editing a name does not jump to the text
    page.keyboard.press("End")
    page.keyboard.type("（核对）")
    page.keyboard.press("Enter")
    with page.expect_download() as got:
        page.click("#export")
    saved = tmp_path / "examples" / "llmx-corrections.json"
    saved.parent.mkdir()
    got.value.save_as(saved)
    import json

    (doc,) = json.loads(saved.read_text(encoding="utf-8"))
    (item,) = doc["indicators"]
    assert item["name"].endswith("（核对）") and doc["doc"] == row.get_attribute("data-doc")
    assert item["quote"] == row.locator("td.quote").inner_text() and item["value"] == float(row.get_attribute("data-value"))
    (example,) = ExampleStore.from_dirs([saved.parent]).examples
    assert example.name == item["name"] and "【" in example.marked
