"""No outgoing connection: the server, started as README says, contacts nothing but this machine.

The Streamlit process gets a `sitecustomize` (on PYTHONPATH) with an audit hook
(sys.addaudithook) that records every name lookup (socket.getaddrinfo), connect
(socket.connect) and datagram (socket.sendto) aimed anywhere but loopback. Chromium then opens
every page. The control run starts the same server listening on every interface
(`--server.address 0.0.0.0`), where Streamlit looks up its external IP at start: the hook must
record that attempt, so the check can fail, and the app there refuses to show data.
"""

from __future__ import annotations

import json
import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import streamlit_server

HOOK = r'''
import ipaddress, json, os, socket, sys

_fd = os.open(os.environ["BESLUTSSTOD_TEST_NATLOGG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)


def _lokal(host):
    if host is None or host in ("", "localhost", b"localhost"):
        return True
    try:
        return ipaddress.ip_address(host.decode() if isinstance(host, bytes) else str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _hook(event, args):
    if event == "socket.getaddrinfo":
        host = args[0]
    elif event in ("socket.connect", "socket.sendto"):
        sock, address = args[0], args[1]
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return
        host = address[0]
    else:
        return
    if not _lokal(host):
        os.write(_fd, (json.dumps({"event": event, "host": str(host)}) + "\n").encode())


sys.addaudithook(_hook)
'''

SIDOR = ["", "/kostnader", "/utforare", "/vistelsekommuner", "/manadsuppfoljning", "/fakturakontroll", "/simulator",
         "/kartlaggning", "/data"]


@pytest.fixture()
def natlogg(tmp_path):
    (tmp_path / "hook").mkdir()
    (tmp_path / "hook" / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    logg = tmp_path / "natlogg.jsonl"
    logg.touch()
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path / "hook"), os.environ.get("PYTHONPATH")])),
           "BESLUTSSTOD_TEST_NATLOGG": str(logg), "BESLUTSSTOD_LOKAL_ROLL": None}
    return logg, env


def forsok(logg) -> list[dict]:
    return [json.loads(r) for r in logg.read_text(encoding="utf-8").splitlines()]


def test_start_and_every_page_make_no_outgoing_connection(demo_data_dir, tmp_path, natlogg, page):
    logg, env = natlogg
    with streamlit_server(demo_data_dir, tmp_path / "streamlit.log", **env) as url:
        for sida in SIDOR:  # the local user has every role: every page
            page.goto(url + sida)
            expect(page.get_by_test_id("stMain").get_by_role("heading").first).to_be_visible()
            expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
            expect(page.get_by_text("Du saknar behörighet")).to_have_count(0)
    assert forsok(logg) == []


def test_control_listening_everywhere_is_caught_and_shows_no_data(demo_data_dir, tmp_path, natlogg, page):
    logg, env = natlogg
    with streamlit_server(demo_data_dir, tmp_path / "streamlit.log", "--server.address", "0.0.0.0", **env) as url:
        page.goto(url)
        expect(page.get_by_text("Beslutsstödet visar inga uppgifter")).to_be_visible()
        expect(page.get_by_test_id("stMetric")).to_have_count(0)
        expect(page.get_by_role("navigation", name="Sidor")).to_have_count(0)
    # Streamlit's external-IP lookup at start (checkip.amazonaws.com) is recorded
    assert any("checkip.amazonaws.com" in f["host"] for f in forsok(logg)), forsok(logg)
