"""Page timings: every kind of page through a real ``perfkg serve``, first and warm (p50 of 5).

Serves ``--store`` on a free local port, waits for the home page (which builds the pages'
catalogue), picks one entity of each kind from the lists' JSON (the largest department,
document and project, the most used indicator, a target, a finding, a diagnostic), then times
each page as a browser asks for it. Prints one table; ``--json`` prints JSON instead.

    python -m benchmarks.pages --store /tmp/c1k/store
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from tests.processes import free_port

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _perfkg() -> list[str]:
    found = shutil.which("perfkg", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "graphbuild.cli"]


def _first(client: httpx.Client, url: str) -> str:
    rows = client.get(url).json()["rows"]
    return str(rows[0]["href"]) if rows else ""


def paths(client: httpx.Client, url: str) -> dict[str, str]:
    """One page of each kind, chosen from the server's own lists."""
    found = {
        "home": "",
        "browse": "id/",
        "projects list": "id/project/",
        "projects list, faceted": "id/project/?has_findings=1&sort=-targets",
        "indicators list": "id/indicator/?sort=-targets",
        "documents list": "id/document/",
        "departments list": "id/department/",
        "search 满意 (2 chars)": "search?q=%E6%BB%A1%E6%84%8F",
        "search 满意度 (trigram)": "search?q=%E6%BB%A1%E6%84%8F%E5%BA%A6&format=json",
        "audit": "audit",
        "audit, one rule": "audit?rule=empty-value&sort=document",
        "query page": "query",
        "explore": "explore",
        "about": "about",
        "void (html)": ".well-known/void",
        "ontology": "def/ontology",
        "level page": "def/levels/output",
    }
    base = url.rstrip("/")
    pick = {
        "department page": f"{url}id/department/?format=json&size=1&sort=-projects",
        "document page": f"{url}id/document/?format=json&size=1&sort=-targets",
        "project page": f"{url}id/project/?format=json&size=1&sort=-targets",
        "indicator page (most used)": f"{url}id/indicator/?format=json&size=1&sort=-targets",
    }
    for name, list_url in pick.items():
        href = _first(client, list_url)
        if href:
            found[name] = href.removeprefix(base).lstrip("/")
    project = found.get("project page")
    if project:
        page = client.get(f"{url}{project}", headers={"Accept": BROWSER}).text
        start = page.find('title="target page"')
        link = page.rfind('href="', 0, start) if start > 0 else -1
        if link > 0:
            found["target page"] = page[link + 6 : page.find('"', link + 6)].lstrip("/")
    audit = client.get(f"{url}audit?format=html&sort=rule", headers={"Accept": BROWSER}).text
    marker = audit.find('href="/id/finding/')
    if marker > 0:
        found["finding page"] = audit[marker + 7 : audit.find('"', marker + 7)]
    return found


def measure(store: Path, repeats: int = 5) -> dict[str, dict[str, float | int]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERFKG_")}
    env.update({"PERFKG_BASE": "http://127.0.0.1:8000/", "PERFKG_QUERY_TIMEOUT": "120"})
    command = [*_perfkg(), "serve", "--store", str(store), "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    results: dict[str, dict[str, float | int]] = {}
    try:
        client = httpx.Client(timeout=600)
        started = time.perf_counter()
        while True:
            try:
                client.get(f"{url}health")
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.perf_counter() - started > 120:
                    raise SystemExit("perfkg serve did not start") from None
                time.sleep(0.2)
        first_home = time.perf_counter()
        client.get(url, headers={"Accept": BROWSER})
        results["(catalogue build + first home)"] = {
            "first_ms": (time.perf_counter() - first_home) * 1000,
            "warm_p50_ms": 0,
            "status": 200,
        }
        for name, path in paths(client, url).items():
            target = url + quote(path, safe="/?=&%-._~")
            began = time.perf_counter()
            response = client.get(target, headers={"Accept": BROWSER})
            cold = time.perf_counter() - began
            times = []
            for _ in range(repeats):
                began = time.perf_counter()
                response = client.get(target, headers={"Accept": BROWSER})
                times.append(time.perf_counter() - began)
            results[f"{name}  /{path}"[:110]] = {
                "first_ms": cold * 1000,
                "warm_p50_ms": statistics.median(times) * 1000,
                "status": response.status_code,
            }
    finally:
        process.terminate()
        process.wait(20)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = measure(args.store, args.repeats)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    width = max(len(name) for name in results)
    print(f"{'page':{width}}  {'status':>6}  {'first ms':>9}  {'warm p50 ms':>11}")
    for name, row in results.items():
        print(
            f"{name:{width}}  {row['status']:>6}  {row['first_ms']:9.0f}  {row['warm_p50_ms']:11.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
