"""Every setting is documented in the README, and can be overridden by the environment."""

from beslutsstod import installningar


def test_every_setting_is_in_the_readme():
    readme = (installningar.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in installningar.SETTINGS if f"`{s.name}`" not in readme]
    assert not missing, f"Inställningar som saknas i README: {missing}"


def test_environment_overrides_default(monkeypatch):
    assert installningar.get("smatal_grans") == 5
    monkeypatch.setenv("BESLUTSSTOD_SMATAL_GRANS", "3")
    monkeypatch.setenv("BESLUTSSTOD_ROLL_GRUPPER", "sn-politiker=lasare, sn-ekonomi = tjansteperson")
    assert installningar.get("smatal_grans") == 3
    assert installningar.get("roll_grupper") == {"sn-politiker": "lasare", "sn-ekonomi": "tjansteperson"}
