"""Shared fixtures: the fixture extracts and one demo data set per test session."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from bench.lokalt import ledig_port, vanta_pa_svar
from beslutsstod.data import db, demo
from tests.fixtures import write_fixture

DEMO_AS_OF = dt.date(2026, 11, 23)  # fixed so the demo data, and what tests expect of it, never drift
DEMO_SEED = 42


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> db.Database:
    extracts = write_fixture(tmp_path_factory.mktemp("fixture"))
    return db.Database(extracts, hemkommun="1401", momskompensation_procent=6.0)


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("demo")
    demo.generate(data_dir, DEMO_AS_OF, DEMO_SEED)
    return data_dir


@pytest.fixture()
def demo_env(demo_data_dir, monkeypatch) -> Path:
    """Point the app's settings at the session's demo data, as the local user (no sign-in
    configured: every role, so the detailed view)."""
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(demo_data_dir))
    monkeypatch.delenv("BESLUTSSTOD_LOKAL_ROLL", raising=False)
    return demo_data_dir


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A local S3 server (moto in server mode, from PyPI) on a free loopback port; yields its URL."""
    port = ledig_port()
    logg = (tmp_path_factory.mktemp("s3") / "moto.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=logg, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    if not vanta_pa_svar(url + "/moto-api/", sekunder=60, process=proc):
        proc.kill()
        pytest.fail("S3-servern (moto) startade inte inom 60 s")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    logg.close()


_HINKAR = iter(range(1_000_000))


def ny_hink(s3_server: str) -> dict[str, str]:
    """Settings (environment variables) for a new, empty bucket on the local S3 server."""
    import s3fs

    hink = f"beslutsstod-{next(_HINKAR)}"
    env = {"BESLUTSSTOD_OBJEKTLAGER_URL": f"s3://{hink}/app", "BESLUTSSTOD_OBJEKTLAGER_ENDPOINT": s3_server,
           "BESLUTSSTOD_OBJEKTLAGER_REGION": "eu-north-1", "BESLUTSSTOD_OBJEKTLAGER_NYCKEL_ID": "testnyckel",
           "BESLUTSSTOD_OBJEKTLAGER_HEMLIG_NYCKEL": "testhemlighet"}
    s3fs.S3FileSystem(key="testnyckel", secret="testhemlighet", skip_instance_cache=True,
                      client_kwargs={"endpoint_url": s3_server, "region_name": "eu-north-1"}).mkdir(hink)
    return env


@pytest.fixture()
def s3_miljo(s3_server):
    return ny_hink(s3_server)


@pytest.fixture()
def lasare_env(demo_env, monkeypatch) -> Path:
    """The demo data in the protected public view: the local user previews the läsare role."""
    monkeypatch.setenv("BESLUTSSTOD_LOKAL_ROLL", "lasare")
    return demo_env
