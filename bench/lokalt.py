"""Servers on this machine for the benchmark, the load test and the test fixtures: a free loopback
port, and waiting until a started server answers. Only 127.0.0.1 is ever used."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

HOST = "127.0.0.1"


def ledig_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def vanta_pa_svar(urls: list[str] | str, *, sekunder: float, process: subprocess.Popen | None = None,
                  intervall: float = 0.2) -> bool:
    """Poll each URL in turn until it answers (HTTP < 400); False when `sekunder` pass or `process` exits first."""
    kvar = [urls] if isinstance(urls, str) else list(urls)
    slut = time.monotonic() + sekunder
    while kvar:
        if time.monotonic() > slut or (process is not None and process.poll() is not None):
            return False
        try:
            with urllib.request.urlopen(kvar[0], timeout=2):
                kvar.pop(0)
        except OSError:
            time.sleep(intervall)
    return True
