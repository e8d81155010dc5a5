"""Every page of issue 13 in a real browser: Debian's chromium, driven by Playwright, against a
real ``perfkg serve`` over the samples (the server fixture of ``test_browser.py``).

Each test opens a page as a person would, asserts what it shows (not only that it answered)
and keeps a screenshot in ``tests/output/browser/`` (the path is printed). Every request must
stay on this machine and no page may log an error.
"""

from __future__ import annotations

import re

import pytest

from tests.pages.test_browser import (  # noqa: F401  (server is a fixture)
    _shot,
    chromium_page,
    server,
)

pytestmark = pytest.mark.browser
PROJECT = "id/project/000_5f54f51c5535db0d.txt/584"
FINAL_DOCUMENT = "id/document/002_c6a9cc9c84081a5e.txt"


def test_project_page_is_a_budget_card_with_targets_findings_and_source(server: str) -> None:  # noqa: F811
    with chromium_page(1280) as (page, _):
        page.goto(server + PROJECT)
        assert page.locator("h1").inner_text() == "档案馆净水及空调"
        card = page.locator("dl.budget-card").first.inner_text()
        assert "侯马经济开发区管理委员会综合工作部" in card  # the department, by name
        assert "5.1万元" in card and "51,000元" in card  # funds in 万元 and 元
        assert "xsd:decimal" not in page.locator("main").inner_text().split("原始属性")[0]
        funding = page.locator("table.funding tbody tr")
        assert funding.count() == 1  # five funding lines, four of them zero: one row
        assert "实施期目标" in page.locator("section.targets").inner_text()
        first = page.locator("table.targets-table").first
        assert first.locator("th").first.inner_text() == "一级指标"
        assert "净水系统" in first.inner_text() and "1个" in first.inner_text()
        assert page.locator("section.findings h2").count() == 1
        focus = page.locator("table.source-lines tr.focus")
        assert focus.get_attribute("data-line") == "584"
        assert "项目支出绩效目标表" in focus.inner_text()  # the document's own line
        assert page.locator("details.raw").count() == 1  # raw properties stay, folded
        _shot(page, "project")


def test_target_and_level_pages(server: str) -> None:  # noqa: F811
    with chromium_page(1280) as (page, _):
        page.goto(server + PROJECT)
        page.locator("table.targets-table td.number a").first.click()
        page.wait_for_selector("table.source-lines tr.focus")
        assert page.locator(".types .type").first.inner_text() == "绩效目标"
        assert "档案馆净水及空调" in page.locator("dl.budget-card").inner_text()
        _shot(page, "target")
        page.goto(server + PROJECT)
        page.locator("table.targets-table td[rowspan] a").first.click()
        page.wait_for_url(re.compile(r"/def/levels/"))  # a level resolves here, not at w3id.org
        assert page.locator("h1").inner_text() == "产出指标"
        assert int(page.locator("dl.budget-card dd strong").inner_text().replace(",", "")) > 100
        _shot(page, "level")
        page.goto(server + "def/ontology")
        assert page.locator("tr#Project").count() == 1
        assert "项目" in page.locator("tr#Project").inner_text()
        _shot(page, "ontology")


def test_document_page_is_titled_by_department_and_year(server: str) -> None:  # noqa: F811
    with chromium_page(1280) as (page, _):
        page.goto(server + FINAL_DOCUMENT)
        title = page.locator("h1").inner_text()
        assert "2024年部门决算" in title and "002_" not in title
        sha = page.locator("code[data-sha]").get_attribute("data-sha") or ""
        assert re.fullmatch(r"[0-9a-f]{64}", sha)
        assert page.locator("section.projects tbody tr").count() == 17
        # diagnostics by severity: info rows hidden until asked for
        info = page.locator("tr[data-severity='info']")
        if info.count():
            assert not info.first.is_visible()
            page.check("input[data-severity='info']")
            assert info.first.is_visible()
        page.wait_for_function("() => window.perfkgCharts && window.perfkgCharts.length >= 1")
        _shot(page, "document")


def test_department_and_indicator_pages_with_charts(server: str) -> None:  # noqa: F811
    with chromium_page(1280) as (page, _):
        page.goto(server + PROJECT)
        page.locator("dl.budget-card a").first.click()
        page.wait_for_selector(".types .type")
        assert "侯马经济开发区管理委员会综合工作部" in page.locator("h1").inner_text()
        assert page.locator("section table.data-list").first.locator("tbody tr").count() >= 1
        page.wait_for_function("() => window.perfkgCharts.length === 2")
        _shot(page, "department")
        page.goto(server + "search?q=满意度")
        page.locator("li[data-kind='indicator'] a").first.click()
        page.wait_for_selector(".types .type")
        assert "满意度" in page.locator("h1").inner_text()
        used = int(page.locator("dl.budget-card dd strong").first.inner_text().replace(",", ""))
        assert used >= 1
        assert page.locator("section", has_text="使用位置").locator("tbody tr").count() >= 1
        page.wait_for_function("() => window.perfkgCharts.length >= 1")
        _shot(page, "indicator")


def test_lists_with_facets_sorting_paging_and_exports(server: str) -> None:  # noqa: F811
    with chromium_page(1280) as (page, _):
        page.goto(server + "id/")
        assert page.locator("[data-list='project'] .number").inner_text() == "83"
        page.click("[data-list='project'] a")
        total = int(page.locator("h1 .count").get_attribute("data-total") or 0)
        assert total == 83
        page.locator("[data-facet='department'] li a").first.click()
        narrowed = int(page.locator("h1 .count").get_attribute("data-total") or 0)
        assert 0 < narrowed < total
        page.click("th a:has-text('目标 Targets')")
        counts = [int(c) for c in page.locator("tbody td:nth-child(6)").all_inner_texts()]
        assert counts == sorted(counts)
        csv_href = page.locator("a.format", has_text="CSV").get_attribute("href") or ""
        assert "format=csv" in csv_href and "department=" in csv_href
        _shot(page, "projects-list")
        page.goto(server + "id/indicator/?sort=-targets")
        assert page.locator("[data-facet='level1'] li").count() >= 3
        _shot(page, "indicators-list")


def test_search_box_answers_as_you_type(server: str) -> None:  # noqa: F811
    with chromium_page(1280) as (page, _):
        page.goto(server)
        page.fill("#site-q", "档案")
        page.wait_for_selector("#site-suggestions li")
        suggestions = page.locator("#site-suggestions li").all_inner_texts()
        assert suggestions and all("档案" in s for s in suggestions)
        _shot(page, "search-suggestions")
        page.press("#site-q", "Enter")
        page.wait_for_url(re.compile(r"/search\?q="))
        assert int(page.locator("[data-results]").get_attribute("data-results") or 0) >= 1
        _shot(page, "search")


def test_home_dashboard_audit_and_query_page(server: str) -> None:  # noqa: F811
    with chromium_page(1280, allow_4xx=True) as (page, _):
        page.goto(server)
        page.wait_for_function("() => window.perfkgCharts && window.perfkgCharts.length >= 5")
        assert "(coming)" not in page.locator("main").inner_text()
        assert page.locator("[data-severity-count='info']").count() == 1
        _shot(page, "home-dashboard")

        page.goto(server + "audit")
        total = int(page.locator("[data-findings]").get_attribute("data-findings") or 0)
        assert total > 0
        page.select_option("select[name=severity]", "warning")
        page.click(".audit-filter button[type=submit]")
        page.wait_for_url(re.compile(r"severity=warning"))
        severities = set(
            page.locator("tr[data-severity]").evaluate_all("r => r.map(x => x.dataset.severity)")
        )
        assert severities == {"warning"}
        message = page.locator("table.audit-findings tbody td:nth-child(3) a").first.inner_text()
        assert re.search(r"[\u4e00-\u9fff]", message)  # in Chinese, English beside it
        assert " yuan" not in message
        _shot(page, "audit")

        page.goto(server + "query")
        groups = page.locator("#named-query optgroup").evaluate_all("g => g.map(x => x.label)")
        assert groups[-1].startswith("审核规则")  # audit rules apart, last
        page.select_option("#named-query", "satisfaction_below_threshold")
        assert page.locator("#query-parameters input[name=threshold]").input_value() != ""
        assert "threshold" in page.locator("#query-parameters").inner_text()
        page.select_option("#named-query", "projects_overview")
        assert page.locator("#query-parameters input[name=document_contains]").count() == 1
        page.click("#query-run")
        page.wait_for_selector("#named-table tbody tr")
        links = page.locator("#named-table tbody a")
        assert links.count() >= 1 and not links.first.inner_text().startswith("http")
        page.click(".view-tabs button[data-view=chart]")
        page.wait_for_selector("#named-chart:not([hidden])")
        _shot(page, "query-named")
        # an error is the server's message with its position
        page.evaluate(
            "() => window.perfkgYasgui.getTab().getYasqe().setValue('SELECT * WHERE { ?s ?p }')"
        )
        page.evaluate("() => window.perfkgYasgui.getTab().getYasqe().query()")
        page.wait_for_selector("#editor-error:not([hidden])")
        assert "line 1" in page.locator("#editor-error").inner_text()
        page.reload()  # the tab is kept
        page.wait_for_function("() => window.perfkgYasgui.getTab().getQuery().includes('?s ?p }')")
        _shot(page, "query-error")


def test_about_void_explore_and_not_found(server: str) -> None:  # noqa: F811
    with chromium_page(1280, allow_4xx=True) as (page, _):
        page.goto(server + "about")
        assert int(page.locator("[data-documents]").get_attribute("data-documents") or 0) == 4
        assert page.locator("[data-license]").count() == 1
        _shot(page, "about")
        page.click("nav >> text=VoID")
        assert int(page.locator("[data-void='triples']").inner_text().replace(",", "")) > 10_000
        _shot(page, "void")
        page.goto(server + "explore")
        page.wait_for_function("() => window.perfkgExplorer.cy.nodes().length > 1")
        assert (
            page.evaluate("() => window.perfkgExplorer.cy.nodes('[kind = \"department\"]').length")
            >= 1
        )
        _shot(page, "explore-first-view")
        page.goto(server + "no/such/page")
        assert "404" in page.locator("h1").inner_text()
        assert page.locator("main form[action$='/search'] input[name=q]").count() == 1
        _shot(page, "not-found")
