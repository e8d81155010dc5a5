"""A person in a browser: Debian's chromium, driven by Playwright, against a real `perfkg serve`.

The server runs in its own process on 127.0.0.1 and a free port, over a store built from the
samples. The test opens the home page, goes to the query page, runs a named example query in
YASGUI and sees its rows, opens a query from a ``?query=`` link, then opens an entity page.
Screenshots go to ``tests/output/browser/`` (gitignored; the paths are printed). Every request
the browser made must have gone to the local server: YASGUI's defaults (DBpedia, prefix.cc,
LOV) are switched off and the pages' Content-Security-Policy forbids anything else.

Chromium comes from Debian (``scripts/browser.sh`` installs it); Playwright's own browser
download is never used.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest

from graphbuild.analysis.audit_graph import document_findings, record
from graphbuild.graph.build import build
from graphbuild.stores.oxigraph import OxigraphStore
from tests.pages.conftest import SAMPLES
from tests.processes import free_port

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUTPUT = Path(__file__).resolve().parents[1] / "output" / "browser"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _perfkg() -> list[str]:
    found = shutil.which("perfkg", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "graphbuild.cli"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`perfkg serve` over the samples on a free local port; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    location = tmp_path_factory.mktemp("browser")
    with OxigraphStore(location / "store") as store:  # as `perfkg build` does: with the audit
        assert not build(
            [SAMPLES], store, base=url, finishing=[record], check=document_findings
        ).failed
    log = location / "serve.log"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PERFKG_")}
    command = [*_perfkg(), "serve", "--store", str(location / "store"), "--port", str(port)]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [*command, "--base", url],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**environment, "PERFKG_MAX_CONCURRENT_QUERIES": "1"},
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"perfkg serve exited: {log.read_text(errors='replace')[-800:]}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"perfkg serve did not answer in 60 s: {log.read_text()[-800:]}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def chromium_page(width: int, allow_4xx: bool = False) -> Iterator[tuple[Any, list[str]]]:
    """A page in Debian's chromium and the URLs it requests; on leaving, fails if the browser
    reached beyond this machine or a page logged an error."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run `bash scripts/browser.sh` (as root)")
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(viewport={"width": width, "height": 900})
            context.on("request", lambda request: requests.append(request.url))
            page = context.new_page()
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on(
                "console",
                lambda message: (
                    problems.append(f"console: {message.text}") if message.type == "error" else None
                ),
            )
            yield page, requests
        finally:
            browser.close()
    outside = sorted(
        {url for url in requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")}
        - {url for url in requests if urlsplit(url).hostname in LOCAL_HOSTS}
    )
    assert outside == [], f"the browser reached out: {outside}"
    if allow_4xx:  # a test that asks for a 404 page or a refused query: its own status
        problems = [p for p in problems if "status of 40" not in p and "Bad Request" not in p]
    assert problems == [], problems


def _shot(page: object, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    print(f"screenshot: {path}")
    return path


def test_home_query_ui_and_entity_page_in_chromium(server: str) -> None:
    with chromium_page(1280) as (page, requests):
        # the home page, with its statistics
        page.goto(server)
        targets = page.locator('[data-stat="targets"] .number').inner_text()
        assert int(targets.replace(",", "")) > 1000
        _shot(page, "home")

        # the query page: run a named example query and see its rows
        page.click("text=查询 Query")
        page.wait_for_selector(".tabPanel.active .yasqe_queryButton")
        page.select_option("#named-query", "count_targets_by_level1")
        page.click("#query-edit")  # the named query, bound, in an editor tab
        page.wait_for_function(
            "() => window.perfkgYasgui.getTab().getQuery().includes('pk:level1')"
        )
        page.click(".tabPanel.active .yasqe_queryButton")
        rows = page.locator(".tabPanel.active .yasr table.dataTable tbody tr")
        rows.first.wait_for(timeout=20_000)
        assert rows.count() >= 3
        assert "产出指标" in page.locator(".tabPanel.active .yasr").inner_text()
        _shot(page, "query")

        # a ?query= link (what an entity page's "open in query UI" does) prefills and runs
        sparql = "SELECT ?project WHERE { ?project a <https://w3id.org/perfkg/ontology#Project> }"
        page.goto(f"{server}query?query={quote(sparql)}&endpoint=http://example.org/sparql")
        page.wait_for_function(
            "() => window.perfkgYasgui.getTab().getQuery().includes('ontology#Project')"
        )
        assert window_endpoint(page) == f"{server}sparql"
        rows = page.locator(".tabPanel.active .yasr table.dataTable tbody tr")
        rows.first.wait_for(timeout=20_000)

        # an entity page, reached from the home page's examples
        page.goto(server)
        page.click("ul.examples a[href^='/id/project/']")
        page.wait_for_selector("article.entity h1")
        assert page.locator(".types .type").first.inner_text() == "项目"
        line = page.locator("section.provenance dd.line").text_content() or ""  # folded raw part
        assert line.strip().isdigit()
        assert (
            page.locator("table.source-lines tr.focus").get_attribute("data-line") == line.strip()
        )
        href = page.locator("a.button").first.get_attribute("href") or ""
        assert href.startswith("/query?query=DESCRIBE")
        entity = _shot(page, "entity")
        assert entity.stat().st_size > 10_000
    assert any(re.search(r"/sparql$", urlsplit(url).path) for url in requests)


def window_endpoint(page: object) -> str:
    """The endpoint the active YASGUI tab sends queries to."""
    return str(page.evaluate("() => window.perfkgYasgui.getTab().getEndpoint()"))  # type: ignore[attr-defined]
