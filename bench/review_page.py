"""Review page benchmark: size and load time of ``--format html`` at 300 articles (and others).

    python bench/review_page.py                    # 300 articles
    python bench/review_page.py --counts 100 300 1000
    python bench/review_page.py --chromium /usr/bin/chromium --loads 5
    python bench/review_page.py --screenshot docs/review.png   # the README's picture

For each count it generates the articles (``bench/generate.py``, seeded, in a temp dir removed
after the run), briefs them with the rules backend (``Summarizer.review``, not timed) and
renders the review page with every article's text (timed: "render s"). Then it opens the page
in Debian's Chromium (headless, driven by Playwright, as ``tests/test_review_page.py`` does),
``--loads`` times, each in a fresh browser context, and reports medians:

- "DOMContentLoaded ms" and "load ms" from the Navigation Timing entry (parse, layout and
  script of the whole page; nothing is fetched: the page is one file);
- "first paint ms" (first-contentful-paint);
- "elements": the DOM size (``document.getElementsByTagName('*').length``), "highlights":
  the marked spans;
- "click ms": a click on the citation whose span is deepest in the page (the last article),
  to the span marked and scrolled into view (the script's work, measured in the page).

The articles pane uses ``content-visibility: auto``: Chromium lays out and paints only the
articles near the viewport. The same page with it switched off is measured too ("eager"), to
show what that buys.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

TIMING_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          paint: paint ? paint.startTime : null,
          elements: document.getElementsByTagName('*').length,
          marks: document.querySelectorAll('#articles mark').length};
}"""

CLICK_JS = """() => {
  const links = [...document.querySelectorAll('a.cite[data-art]')];
  const last = links.reduce((a, b) => (+b.dataset.art > +a.dataset.art ? b : a));
  const t0 = performance.now();
  last.click();
  const mark = document.querySelector('mark.focus');
  mark.getBoundingClientRect();  // forces the layout the scroll needed
  return performance.now() - t0;
}"""


def page_for(n: int, root: Path, seed: int) -> tuple[Path, float, int]:
    """The review page of ``n`` generated articles: its path, render seconds, articles ok."""
    from generate import generate

    from summarizer import Summarizer
    from summarizer.render import render

    folder = root / f"articles-{n}"
    generate(n, folder, seed)
    summarizer = Summarizer(backend="rules", cache_dir=root / "cache")
    try:
        briefing, texts = summarizer.review([folder])
    finally:
        summarizer.close()
    t0 = time.perf_counter()
    html = render(briefing, "html", texts)
    seconds = time.perf_counter() - t0
    out = root / f"review-{n}.html"
    out.write_text(html, encoding="utf-8")
    return out, seconds, sum(a.status == "ok" for a in briefing.articles)


def measure(browser: Any, page: Path, loads: int) -> dict[str, float]:
    runs = []
    for _ in range(loads):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        tab = context.new_page()
        tab.goto(page.as_uri(), wait_until="load")
        # The paint entry can come a frame after the load event.
        tab.wait_for_function(
            "performance.getEntriesByName('first-contentful-paint').length > 0", timeout=10_000
        )
        timing = tab.evaluate(TIMING_JS)
        timing["click"] = tab.evaluate(CLICK_JS)
        runs.append(timing)
        context.close()
    return {key: statistics.median(r[key] for r in runs if r[key] is not None) for key in runs[0]}


def screenshot(browser: Any, out: Path, root: Path) -> None:
    """The review page of ``fixtures/articles`` with the disputed figure's last citation
    clicked (the README's picture)."""
    from summarizer import Summarizer
    from summarizer.render import render

    summarizer = Summarizer(backend="rules", cache_dir=root / "cache")
    previous = Path.cwd()
    os.chdir(HERE.parent)  # the page shows the paths as given: fixtures/articles/...
    try:
        briefing, texts = summarizer.review([Path("fixtures", "articles")])
    finally:
        os.chdir(previous)
        summarizer.close()
    page = root / "fixtures.html"
    page.write_text(render(briefing, "html", texts), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 680})
    tab = context.new_page()
    tab.goto(page.as_uri())
    tab.locator("p.discrepancy a.cite[data-art]").last.click()
    tab.evaluate("document.querySelector('tr.dispute').scrollIntoView({block: 'center'})")
    tab.screenshot(path=str(out))
    context.close()
    print(f"{out}: {out.stat().st_size / 1e3:.0f} KB", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[300])
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20251213)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--screenshot", type=Path, help="only write the README's picture here")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright
    from scale import machine

    print(machine(), file=sys.stderr)
    root = Path(tempfile.mkdtemp(prefix="summarizer-review-"))
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            print(f"Chromium {browser.version}", file=sys.stderr)
            if args.screenshot:
                screenshot(browser, args.screenshot, root)
                return
            for n in args.counts:
                page, render_s, ok = page_for(n, root, args.seed)
                eager = page.with_name(f"eager-{n}.html")
                eager.write_text(
                    page.read_text(encoding="utf-8").replace(
                        "content-visibility: auto;", "content-visibility: visible;"
                    ),
                    encoding="utf-8",
                )
                for label, path in (("lazy", page), ("eager", eager)):
                    timing = measure(browser, path, args.loads)
                    rows.append(
                        f"| {n:,} ({ok} ok) | {label} | {path.stat().st_size / 1e6:.2f} | "
                        f"{render_s:.2f} | {timing['dcl']:.0f} | {timing['load']:.0f} | "
                        f"{timing['paint']:.0f} | {timing['elements']:,.0f} | "
                        f"{timing['marks']:,.0f} | {timing['click']:.0f} |"
                    )
                    print(rows[-1], file=sys.stderr)
            browser.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(
        "| articles | articles pane | MB | render s | DOMContentLoaded ms | load ms | "
        "first paint ms | elements | highlights | click ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
