"""A small smoke run of the load test (bench/loadtest.py): real server, real websocket sessions.

No timing is asserted (the machines are noisy; bench/loadtest.py measures). The smoke proves that the
load test drives real page runs: every interaction of the flow finishes without an error, in each
session, and the server's CPU and memory are read.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from bench import loadtest


def kor_main(argv: list[str]) -> int:
    """loadtest.main in a thread of its own: after a browser test, Playwright's sync API keeps an event
    loop running in this thread, and asyncio.run() refuses to start inside it."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(loadtest.main, argv).result()


def test_two_sessions_walk_the_flow_without_errors(demo_data_dir, tmp_path, capsys):
    kod = kor_main(["--data", str(demo_data_dir), "--sessioner", "2", "--floden", "1",
                         "--spridning", "0.5", "--ut", str(tmp_path)])
    utskrift = capsys.readouterr().out
    assert kod == 0, utskrift
    res = json.loads(next(tmp_path.glob("lasttest-*.json")).read_text(encoding="utf-8"))
    # 2 sessions × 1 flow: each of the 4 interactions measured twice, none failed
    assert {namn: (r["n"], r["fel"]) for namn, r in res["interaktioner"].items()} == {
        namn: (2, 0) for namn, _, _ in loadtest.FLODE}
    assert res["besok"] > 0 and res["cpu_s"] > 0 and res["topp_rss_mb"] > 50
    assert "Översikt: byt vistelsekommun" in utskrift


def test_an_error_in_a_page_run_is_counted_not_hidden(demo_data_dir, tmp_path, monkeypatch):
    # A page that does not exist: the server answers page_not_found and finishes the run; the load
    # test must count it as an error (exit code 1), not as a fast interaction.
    monkeypatch.setattr(loadtest, "FLODE", [("Finns inte", "finns-inte", "")])
    kod = kor_main(["--data", str(demo_data_dir), "--sessioner", "1", "--floden", "1",
                         "--spridning", "0", "--ut", str(tmp_path)])
    res = json.loads(next(tmp_path.glob("lasttest-*.json")).read_text(encoding="utf-8"))
    assert kod == 1
    assert res["interaktioner"]["Finns inte"]["fel"] == 1
