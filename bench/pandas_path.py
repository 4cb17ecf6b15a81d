"""The comparison: the same aggregations as the named queries, in pandas on a frame of all visits.

This is what a typical Streamlit app does: read every extract into one frame at start (cached
with st.cache_data), add the derived columns once (regi, direction, rate, cost), then filter and
group in pandas on each rerun. ``ladda`` builds that frame; each function below takes it and the
query's own parameters and returns the query's result columns, so bench/run.py can check that
both paths give the same numbers before it compares their times.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd


def ladda(extracts: Path, hemkommun: str, momskompensation_procent: float) -> pd.DataFrame:
    """All visits with the staging view's derived columns (the cost rule in floating point kr)."""
    besok = pd.read_parquet(extracts / "besok")
    besok = besok.drop(columns=[c for c in ("ar",) if c in besok.columns])  # the hive key; derived below
    utforare = pd.read_parquet(extracts / "utforare.parquet")[["utforare_id", "regi"]].drop_duplicates("utforare_id")
    nivaer = pd.read_parquet(extracts / "ersattningsnivaer.parquet")
    df = besok.merge(utforare, on="utforare_id", how="left")
    datum = pd.to_datetime(df["datum"])
    df["datum"] = datum
    df["ar"] = datum.dt.year.astype("int32")
    df["manad"] = datum.dt.month.astype("int32")
    kostnad = df["bosattningskommun"] == hemkommun
    intakt = ~kostnad & (df["vistelsekommun"] == hemkommun)
    df["riktning"] = pd.Series(np.select([kostnad, intakt], ["kostnad", "intakt"], ""), index=df.index).replace("", None)
    df["motpartskommun"] = df["vistelsekommun"].where(kostnad, df["bosattningskommun"])
    # Rates: the general ones first, then the regi-specific ones over them (a specific rate wins).
    kr = np.full(len(df), np.nan)
    grund = np.full(len(df), None, dtype=object)
    ingar = np.zeros(len(df), dtype=bool)
    slut = pd.to_datetime(nivaer["giltig_till"]).fillna(pd.Timestamp("2262-01-01"))
    for specifik in (False, True):
        for i, n in nivaer.loc[nivaer["regi"].notna() == specifik].iterrows():
            m = ((df["insats"] == n["insats"]) & (datum >= pd.Timestamp(n["giltig_fran"])) & (datum <= slut[i])).to_numpy()
            if specifik:
                m &= (df["regi"] == n["regi"]).to_numpy()
            kr[m] = float(n["kr_per_timme"])
            grund[m] = n["grund"]
            ingar[m] = bool(n["momskompensation_ingar"])
    df["kr_per_timme"] = kr
    df["grund"] = grund
    df["is_niva_saknas"] = np.isnan(kr)
    df["debiterbara_min"] = np.where(grund == "utford", df["utford_min"],
                                     np.where(grund == "beviljad", df["beviljad_min"], np.nan))
    df["is_momskompensation"] = (df["regi"] == "privat").to_numpy() & ~ingar
    faktor = np.where(df["is_momskompensation"], 1 + momskompensation_procent / 100, 1.0)
    df["beraknad_kostnad_kr"] = np.round(df["debiterbara_min"] * kr * faktor / 60, 2)
    df["beviljad_timmar"] = df["beviljad_min"] / 60
    df["utford_timmar"] = df["utford_min"] / 60
    df["fakturerat_kr"] = df["fakturerat_kr"].astype("float64")
    return df


def _urval(df: pd.DataFrame, p: dict, *, riktning: str | None = "param", ar: str | None = None) -> pd.DataFrame:
    m = np.ones(len(df), dtype=bool)
    if riktning == "param":
        m &= (df["riktning"] == p["riktning"]).to_numpy()
    elif riktning == "alla":
        m &= df["riktning"].notna().to_numpy()
    elif riktning is not None:
        m &= (df["riktning"] == riktning).to_numpy()
    if ar == "tva":
        m &= df["ar"].isin([p["ar"] - 1, p["ar"]]).to_numpy()
    elif ar == "ett":
        m &= (df["ar"] == p["ar"]).to_numpy()
    elif ar == "till":
        m &= (df["ar"] <= p["ar"]).to_numpy()
    for nyckel, kolumn in (("insatser", "insats"), ("regier", "regi"), ("kommuner", "motpartskommun")):
        if p.get(nyckel):
            m &= df[kolumn].isin(p[nyckel]).to_numpy()
    return df.loc[m]


def _summa(s: pd.Series) -> float:
    return s.sum(min_count=1)


def _mått(g) -> pd.DataFrame:
    """The usual figures of a grouped selection."""
    return g.agg(kostnad_kr=("beraknad_kostnad_kr", _summa), utford_timmar=("utford_timmar", "sum"),
                 beviljad_timmar=("beviljad_timmar", "sum"), antal_personer=("brukare_id", "nunique"),
                 antal_besok=("besok_id", "size"), antal_besok_utan_niva=("is_niva_saknas", "sum"))


def datatackning(df, p):
    return pd.DataFrame({"forsta_datum": [df["datum"].min()], "sista_datum": [df["datum"].max()],
                         "ar_lista": [sorted(df["ar"].unique().tolist())]})


def motpartskommuner(df, p):
    u = _urval(df, p)
    return u.groupby("motpartskommun").size().rename("antal_besok").rename_axis("kommunkod").reset_index()


def manader_utan_data(df, p):
    manader = df["datum"].dt.to_period("M")
    alla = pd.period_range(manader.min(), manader.max(), freq="M")
    saknas = alla.difference(pd.PeriodIndex(manader.unique()))
    return pd.DataFrame({"ar": saknas.year, "manad": saknas.month})


def nyckeltal(df, p):
    u = _urval(df, p, ar="tva")
    u = u.loc[u["manad"] <= p["till_manad"]]
    per_ar = _mått(u.groupby("ar")).join(u.groupby("ar").agg(antal_kommuner=("motpartskommun", "nunique")))
    deb = u.loc[~u["is_niva_saknas"]].groupby("ar")["debiterbara_min"].sum() / 60
    per_ar = per_ar.reindex([p["ar"] - 1, p["ar"]])
    per_ar["kr_per_timme"] = per_ar["kostnad_kr"] / deb.reindex(per_ar.index).replace(0, np.nan)
    return per_ar.fillna({c: 0 for c in per_ar.columns if c != "kr_per_timme"}).rename_axis("ar").reset_index()


def kostnad_per_manad(df, p):
    u = _urval(df, p, ar="tva")
    return u.groupby(["ar", "manad"]).agg(kostnad_kr=("beraknad_kostnad_kr", _summa),
                                          utford_timmar=("utford_timmar", "sum"),
                                          antal_personer=("brukare_id", "nunique")).reset_index()


def per_ar(df, p):
    u = _urval(df, p, riktning="alla", ar="till")
    jmf, borta = set(p["jmf_ar"]), set(p["utan_data"])

    def till(a):
        return np.where(a == p["ar"], p["till_manad"], 12)

    delar = [u.assign(is_jamforelse=False, is_jamforelse_nu=False)]
    bas = u["ar"].add(1).isin(jmf) & (u["manad"] <= till(u["ar"] + 1)) & ~((u["ar"] + 1) * 100 + u["manad"]).isin(borta)
    delar.append(u.loc[bas].assign(is_jamforelse=True, is_jamforelse_nu=False))
    nu = u["ar"].isin(jmf) & (u["manad"] <= till(u["ar"])) & ~((u["ar"] - 1) * 100 + u["manad"]).isin(borta)
    delar.append(u.loc[nu].assign(is_jamforelse=False, is_jamforelse_nu=True))
    u = pd.concat(delar)
    ut = []
    for dimension, grupp in (("totalt", None), ("insats", "insats"), ("regi", "regi")):
        nycklar = ["ar", "is_jamforelse", "is_jamforelse_nu", "riktning"] + ([grupp] if grupp else [])
        g = _mått(u.groupby(nycklar, dropna=False)).reset_index()
        g["dimension"] = dimension
        g["grupp"] = g[grupp] if grupp else None
        ut.append(g.drop(columns=[grupp] if grupp else []))
    return pd.concat(ut, ignore_index=True)


def per_utforare(df, p):
    u = _urval(df, p, ar="ett")
    ut = []
    for niva, nycklar in (("utforare", ["regi", "utforare_id"]), ("regi", ["regi"]), ("totalt", None)):
        g = _mått(u.groupby(nycklar, dropna=False)).reset_index() if nycklar else \
            _mått(u.assign(_t=0).groupby("_t")).reset_index(drop=True)
        g["niva"] = niva
        ut.append(g)
    return pd.concat(ut, ignore_index=True)


def utforare_per_manad(df, p):
    u = _urval(df, p, ar="ett")
    u = u.loc[u["utforare_id"] == p["utforare_id"]]
    per_manad = _mått(u.groupby("manad")).reset_index()
    totalt = _mått(u.assign(_t=0).groupby("_t")).reset_index(drop=True)
    return pd.concat([per_manad, totalt], ignore_index=True)


def per_manad_kommun(df, p):
    u = _urval(df, p, riktning="alla", ar="ett")
    ut = []
    for nycklar in (["riktning", "manad", "motpartskommun"], ["riktning", "manad"], ["riktning", "motpartskommun"],
                    ["riktning"]):
        ut.append(_mått(u.groupby(nycklar)).reset_index())
    return pd.concat(ut, ignore_index=True).rename(columns={"motpartskommun": "kommunkod"}).drop(
        columns=["beviljad_timmar"])


def utfall_per_manad(df, p):
    u = _urval(df, p, riktning="kostnad")
    u = u.assign(utfall_kr=u["fakturerat_kr"].fillna(u["beraknad_kostnad_kr"]),
                 beraknat_kr=u["beraknad_kostnad_kr"].where(u["fakturerat_kr"].isna()))
    g = u.groupby(["ar", "manad", "insats", "regi"], dropna=False).agg(
        utfall_kr=("utfall_kr", _summa), fakturerat_kr=("fakturerat_kr", "sum"), beraknat_kr=("beraknat_kr", "sum"),
        antal_besok=("besok_id", "size")).reset_index()
    # every covered month of a year for each insats and regi present that year (0 kr when empty)
    manader = df["datum"].dt.to_period("M")
    alla = pd.period_range(manader.min(), manader.max(), freq="M")
    ram = pd.DataFrame({"ar": alla.year, "manad": alla.month})
    kombinationer = g[["ar", "insats", "regi"]].drop_duplicates()
    rutnat = ram.merge(kombinationer, on="ar")
    return rutnat.merge(g, on=["ar", "manad", "insats", "regi"], how="left").fillna(
        {"utfall_kr": 0, "fakturerat_kr": 0, "beraknat_kr": 0, "antal_besok": 0})


def personer(df, p):
    u = _urval(df, p, riktning="kostnad", ar="tva")
    u = u.loc[u["manad"].isin(p["manader"])]
    ut = []
    for niva, nycklar in (("total", ["ar"]), ("manad", ["ar", "manad"]), ("insats", ["ar", "insats"]),
                          ("regi", ["ar", "insats", "regi"])):
        g = u.groupby(nycklar, dropna=False)["brukare_id"].nunique().rename("antal_personer").reset_index()
        g["niva"] = niva
        ut.append(g)
    return pd.concat(ut, ignore_index=True)


def omfattning(df, p):
    u = _urval(df, p, riktning="alla", ar="ett")
    ut = []
    for nycklar in (["riktning", "regi"], ["riktning"]):
        g = _mått(u.groupby(nycklar, dropna=False)).join(
            u.groupby(nycklar, dropna=False).agg(antal_kommuner=("motpartskommun", "nunique"))).reset_index()
        ut.append(g)
    return pd.concat(ut, ignore_index=True).rename(columns={"kostnad_kr": "belopp_kr"})


def per_vistelsekommun(df, p):
    u = _urval(df, {**p, "regier": []}, riktning="kostnad", ar="ett")
    u = u.loc[u["regi"] == "vistelsekommun"]
    med_niva = u.loc[~u["is_niva_saknas"]]
    g = u.groupby(["vistelsekommun", "insats"]).agg(antal_besok=("besok_id", "size"),
                                                    belopp_kr=("beraknad_kostnad_kr", _summa))
    g["debiterbara_timmar"] = med_niva.groupby(["vistelsekommun", "insats"])["debiterbara_min"].sum() / 60
    g["betald_kr_per_timme"] = g["belopp_kr"] / g["debiterbara_timmar"].replace(0, np.nan)
    return g.reset_index().rename(columns={"vistelsekommun": "kommunkod"})


def _simulator_urval(df, p):
    u = _urval(df, p, riktning="kostnad")
    prognos = u["manad"].isin(p["prognos_manader"])
    m = ((u["ar"] == p["ar"]) & (u["manad"] <= p["till_manad"]) & ~prognos) | ((u["ar"] == p["ar"] - 1) & prognos)
    return u.loc[m]


def timunderlag(df, p):
    u = _simulator_urval(df, p)
    g = u.groupby(["ar", "insats", "regi", "vistelsekommun", "manad"], dropna=False).agg(
        beviljad_min=("beviljad_min", "sum"), utford_min=("utford_min", "sum"), antal_besok=("besok_id", "size"))
    g["beviljad_timmar"] = g["beviljad_min"] / 60
    g["utford_timmar"] = g["utford_min"] / 60
    return g.reset_index()


def timmar_per_manad(df, p):
    u = _urval(df, p, riktning="kostnad", ar="tva")
    return u.groupby(["ar", "insats", "manad"]).agg(beviljad_min=("beviljad_min", "sum"),
                                                    utford_min=("utford_min", "sum")).reset_index()


NYCKLAR = {"ar", "manad"}  # keys, not figures: a query may pad its grid with empty months or years


def _enkel(v: object) -> object:
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_enkel(x) for x in v]
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, np.generic):
        return v.item()
    return v


def lika(duck: pd.DataFrame, pand: pd.DataFrame) -> bool | None:
    """Whether both paths give the same figures: the sum of every numeric column they share.

    Key columns (year, month) are left out, since a query may add empty rows to its grid. A
    result with no shared numeric column (the date coverage) is compared value by value. None
    when nothing is comparable. Tolerance 1e-6 relative (+ 0,01 kr per row absolute: the pandas
    path rounds each visit's cost in floating point, DuckDB in whole öre).
    """
    gemensamma = [c for c in duck.columns if c in pand.columns and c not in NYCKLAR
                  and pd.api.types.is_numeric_dtype(duck[c]) and pd.api.types.is_numeric_dtype(pand[c])
                  and not pd.api.types.is_bool_dtype(duck[c])]
    if not gemensamma:
        ovriga = [c for c in duck.columns if c in pand.columns]
        if not ovriga or len(duck) != len(pand):
            return None
        return all(_enkel(a) == _enkel(b) for c in ovriga for a, b in zip(duck[c], pand[c]))
    for c in gemensamma:
        a, b = float(duck[c].astype("float64").sum()), float(pand[c].astype("float64").sum())
        if not np.isclose(a, b, rtol=1e-6, atol=0.01 * max(len(duck), 1)):
            return False
    return True


# The named queries (queries/<namn>.sql) that have a pandas implementation here: bench/run.py runs
# it on the same parameters whenever a page model runs that query, and checks the sums agree.
FRAGOR = {
    "filter/datatackning": datatackning,
    "filter/motpartskommuner": motpartskommuner,
    "filter/manader_utan_data": manader_utan_data,
    "oversikt/nyckeltal": nyckeltal,
    "oversikt/kostnad_per_manad": kostnad_per_manad,
    "kostnader/per_ar": per_ar,
    "utforare/per_utforare": per_utforare,
    "utforare/per_manad": utforare_per_manad,
    "vistelsekommuner/per_manad_kommun": per_manad_kommun,
    "manadsuppfoljning/utfall_per_manad": utfall_per_manad,
    "manadsuppfoljning/personer": personer,
    "kartlaggning/omfattning": omfattning,
    "kartlaggning/per_vistelsekommun": per_vistelsekommun,
    "simulator/timunderlag": timunderlag,
    "simulator/timmar_per_manad": timmar_per_manad,
}
