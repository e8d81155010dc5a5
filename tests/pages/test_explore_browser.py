"""The explorer in a real browser: Debian's chromium, driven by Playwright, against `perfkg serve`.

Reuses the server fixture of ``test_browser.py`` (a real server on 127.0.0.1 over the samples).
Opens ``/explore``, searches a Chinese indicator name, clicks a result (which draws the node
and a page of its neighbours), clicks a drawn target (which draws its project), filters, and
checks that the side panel links to the linked-data page. The screenshot goes to
``tests/output/browser/explore.png`` (the path is printed). Every request must stay local.
"""

from __future__ import annotations

import pytest

from tests.pages.test_browser import (  # noqa: F401  (server is a fixture)
    OUTPUT,
    chromium_page,
    server,
)

pytestmark = pytest.mark.browser

COUNT = "() => window.perfkgExplorer.cy.nodes().length"


def test_explore_search_expand_and_filter_in_chromium(server: str) -> None:  # noqa: F811
    with chromium_page(1400) as (page, requests):
        page.goto(f"{server}explore?start=none")  # no first view: only what is asked for
        page.wait_for_function("() => window.perfkgExplorer !== undefined")
        # the filters are filled from /api/network/filters
        page.locator("#filter-level1 option").nth(1).wait_for(state="attached")
        assert "满意度指标" in page.locator("#filter-level1").inner_text()

        # search a Chinese indicator name
        page.fill("#explore-q", "满意度")
        page.click("#explore-search button[type=submit]")
        results = page.locator("#explore-results li.result")
        results.first.wait_for()
        assert results.count() >= 10
        assert all("满意度" in text for text in results.all_inner_texts())
        assert page.evaluate(COUNT) == 0  # nothing drawn before the user asks

        # click the first result: the indicator and a page of its targets are drawn
        label = results.first.locator(".result-label").inner_text()
        results.first.click()
        page.wait_for_function(f"{COUNT} > 1")
        page.wait_for_selector("#explore-panel h2")
        assert label in page.locator("#explore-panel h2").first.inner_text()
        href = page.locator("#explore-panel a.entity-link").get_attribute("href") or ""
        assert href.startswith("/id/indicator/")
        drawn = page.evaluate(COUNT)
        kinds = page.evaluate("() => window.perfkgExplorer.cy.nodes().map(n => n.data('kind'))")
        assert kinds.count("indicator") == 1 and kinds.count("target") == drawn - 1
        assert page.evaluate("() => window.perfkgExplorer.cy.edges().length") == drawn - 1

        # click one of its targets: its project is drawn next to it
        page.evaluate("() => window.perfkgExplorer.cy.nodes('[kind = \"target\"]')[0].emit('tap')")
        page.wait_for_function(
            "() => window.perfkgExplorer.cy.nodes('[kind = \"project\"]').length > 0"
        )
        page.wait_for_selector("#explore-panel dd")
        assert "Level 1" in page.locator("#explore-panel").inner_text()

        # a filter narrows the search
        before = page.locator("#explore-status").inner_text()
        page.select_option("#filter-level1", label=_option(page, "满意度指标"))
        page.wait_for_function(
            "(before) => document.getElementById('explore-status').innerText !== before"
            " && document.getElementById('explore-status').innerText.includes('结果')",
            arg=before,
        )
        shot = OUTPUT / "explore.png"
        OUTPUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        assert shot.stat().st_size > 20_000
    assert any("/api/network/neighbours" in url for url in requests)


def _option(page: object, label: str) -> str:
    """The full text of the first option of the level 1 picker that starts with ``label``."""
    texts = page.locator("#filter-level1 option").all_inner_texts()  # type: ignore[attr-defined]
    return next(text for text in texts if text.startswith(label))
