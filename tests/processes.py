"""Real processes for the tests: free local ports, a running ``perfkg serve``.

Tests that start servers use these so that every one is started the way a user starts it
(the ``perfkg`` console script) and waited for the same way.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Wait (30 s at most) until the SPARQL endpoint ``url`` answers; fail with its log."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited: {log.read_text(errors='replace')[-800:]}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    pytest.fail(f"{url} did not answer within 30 s")


def perfkg_command() -> list[str]:
    """The ``perfkg`` console script of this environment."""
    script = Path(sys.executable).parent / "perfkg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "graphbuild.cli"]


class Served:
    """A running ``perfkg serve`` process, of a store folder or (``endpoint``) of a SPARQL
    server."""

    def __init__(
        self, store: Path | None, tmp: Path, base: str, endpoint: str | None = None, **env: str
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.log = tmp / f"serve-{self.port}.log"
        environment = {**os.environ, "PERFKG_BASE": base, **env}
        environment.pop("PERFKG_ENDPOINT", None)
        source = ["--endpoint", endpoint] if endpoint else ["--store", str(store)]
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [*perfkg_command(), "serve", *source, "--port", str(self.port)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=environment,
            )
        wait_until_up(self.url, self.process, self.log)

    def interrupt(self) -> int:
        """Ctrl-C, as a person at the terminal would; the exit status."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail("perfkg serve did not stop within 15 s of Ctrl-C")

    def stop(self) -> None:
        """Stop it if it still runs (fixtures' teardown)."""
        if self.process.poll() is None:
            self.interrupt()
