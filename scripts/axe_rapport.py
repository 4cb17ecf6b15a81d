"""Walk every page in Chromium with axe-core (WCAG 2.0/2.1 A and AA) and list serious/critical violations.

    .venv/bin/python scripts/axe_rapport.py URL [--bredder 1440 390] [--json UT.json]

URL is a running app (e.g. http://127.0.0.1:8501). Prints one line per page, width and direction.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

SIDOR = [("oversikt", ["kostnad", "intakt"]), ("kostnader", ["kostnad", "intakt", "netto"]),
         ("utforare", ["kostnad", "intakt"]), ("vistelsekommuner", ["kostnad", "intakt", "netto"]),
         ("manadsuppfoljning", [None]), ("fakturakontroll", [None]), ("simulator", [None]), ("kartlaggning", [None]),
         ("insatsmodell", [None]), ("data", [None])]
RIKTNINGSPARAM = {"oversikt": "oversikt_riktning", "kostnader": "kostnader_riktning", "utforare": "utforare_riktning",
                  "vistelsekommuner": "vistelse_riktning"}
ETIKETT = {"kostnad": "Kostnader (våra invånare i andra kommuner)", "intakt": "Intäkter (andra kommuners invånare hos oss)",
           "netto": "Netto (intäkter minus kostnader)"}
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}


def matning(url: str, bredder: list[int]) -> list[dict]:
    axe = Axe()
    rader = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        for bredd in bredder:
            ctx = browser.new_context(viewport={"width": bredd, "height": 900}, locale="sv-SE")
            page = ctx.new_page()
            page.set_default_timeout(90_000)
            for sida, riktningar in SIDOR:
                for riktning in riktningar:
                    q = f"?{RIKTNINGSPARAM[sida]}={ETIKETT[riktning]}" if riktning else ""
                    page.goto(f"{url}/{sida}{q}")
                    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning",
                                                                           timeout=90_000)
                    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=90_000)  # code still loading
                    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                    res = axe.run(page, options=AXE_OPTIONS).response
                    allvarliga = [v for v in res["violations"] if v["impact"] in ("serious", "critical")]
                    rader.append({"sida": sida, "bredd": bredd, "riktning": riktning,
                                  "regler": {v["id"]: len(v["nodes"]) for v in allvarliga}})
            ctx.close()
        browser.close()
    return rader


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("--bredder", type=int, nargs="*", default=[1440, 390])
    p.add_argument("--json")
    a = p.parse_args()
    rader = matning(a.url.rstrip("/"), a.bredder)
    for r in rader:
        print(f"{r['sida']:18} {r['bredd']:>5} {r['riktning'] or '':8} "
              f"{sum(r['regler'].values()):>3} noder: {', '.join(f'{k} ({n})' for k, n in sorted(r['regler'].items()))}")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(rader, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
