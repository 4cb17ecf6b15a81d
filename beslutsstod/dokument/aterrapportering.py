"""The report-back "Återrapportering: utfall av ny ersättningsmodell" (issue 17, seed 002).

A ``tjansteskrivelse.Avsnitt`` (text, .docx, .xlsx) that answers the seed's two conditions with
one trial's outcome (regler/insatsersattning.Utfall): the cost per insats against per hour and
the budget, and how many brukare's avgift changes beyond the threshold. In the open view a
figure about fewer than `smatal_grans` brukare is withheld (begrepp.MASK).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from beslutsstod import begrepp, talformat
from beslutsstod.dokument import tjansteskrivelse as tj
from beslutsstod.regler import smatalsskydd
from beslutsstod.regler.insatsersattning import FORDELNING_KLASSER, Utfall, period_text, regi_text

RUBRIK = "Återrapportering: utfall av ny ersättningsmodell"
SEED_KALLA = ("Vård- och omsorgsnämnden, Österåkers kommun, tjänsteskrivelse 2023-02-13, Dnr VON 2022/0007: "
              "Pröva ny ersättningsmodell inom hemtjänsten i egen regi (förebild för försöket och villkoren)")
GRUND_TEXT = {"utford": "utförd", "beviljad": "beviljad"}
UNDERLAG_TEXT = {"import": "importerad prislista", "harledd": "härledd kostnadsneutral prislista"}


def _kr(x: Decimal | None) -> str:
    return begrepp.SAKNAS if x is None else talformat.fmt_kr(float(x))


def _procent(x: Decimal, bas: Decimal) -> Decimal | None:
    return None if bas == 0 else (x * 100 / bas)


def aterrapportering(u: Utfall, *, oppen_vy: bool, smatal_grans: int) -> tj.Avsnitt:
    """The report-back section: the seed's two conditions answered with the trial's figures.

    Open view: a figure about fewer than `smatal_grans` brukare is withheld (".."): the trial's cost per
    insats and its difference when the trial's payees served fewer, each utförare row likewise
    (smatalsskydd.mask_long), and the avgift counts.
    """
    period = period_text(u.forsok.fran, u.forsok.till)
    dold_total = (smatalsskydd.is_masked(u.personer_i_forsok, smatal_grans, oppen_vy=oppen_vy)
                  or smatalsskydd.is_masked(int(u.total["personer"]), smatal_grans, oppen_vy=oppen_vy))
    stycken = [
        f"Försöket med ersättning per insats gällde hemtjänst utförd av {regi_text(u.forsok.regier)} under {period}. "
        f"Samma besök har prissatts både med ersättning per timme (dagens modell) och per insats "
        f"({UNDERLAG_TEXT[u.forsok.prislista_underlag]}{', ändrad för hand' if u.forsok.prislista_andrad else ''}), "
        f"så att skillnaden beror på modellen och inte på volymen."
    ]
    budget = u.budget_kr
    if dold_total:
        stycken.append(f"Försöket omfattade färre än {smatal_grans} brukare; kostnaderna per modell redovisas därför inte i "
                       "den öppna vyn.")
    else:
        pct = _procent(u.skillnad, u.kostnad_timme)
        riktning = "lägre" if u.skillnad < 0 else "högre"
        stycken.append(
            f"Villkor 1, budgetramen: nämndens kostnad för hemtjänsten under perioden blev {_kr(u.kostnad_insats)} med "
            f"ersättning per insats och {_kr(u.kostnad_timme)} med ersättning per timme, "
            + (f"alltså {_kr(abs(u.skillnad))} ({talformat.fmt_procent(float(abs(pct)))}) {riktning}. "
               if u.skillnad != 0 and pct is not None else "alltså lika. ")
            + (f"Budgeten för månaderna är {_kr(budget)}: utfallet per insats är {_kr(abs(budget - u.kostnad_insats))} "
               f"{'under' if u.kostnad_insats <= budget else 'över'} budget, per timme "
               f"{_kr(abs(budget - u.kostnad_timme))} {'under' if u.kostnad_timme <= budget else 'över'}. "
               if budget is not None else "Budget per månad saknas för perioden, så utfallet kan inte ställas mot budget. ")
            + ("Ersättning per insats har inte påverkat budgetramen negativt jämfört med nuvarande modell."
               if u.skillnad <= 0 else
               "Ersättning per insats har ökat kostnaden jämfört med nuvarande modell; villkoret är inte uppfyllt."))
    a = u.avgift
    n_over = antal_over_visat(u, oppen_vy=oppen_vy, smatal_grans=smatal_grans)
    celler = avgiftsceller(u, oppen_vy, smatal_grans)
    n_alla = celler[tj.TOTAL]
    if n_alla is None:
        stycken.append(f"Villkor 2, brukarnas avgift: försöket omfattade färre än {smatal_grans} brukare; antalet vars avgift "
                       "ändras redovisas därför inte i den öppna vyn.")
    else:
        tal = begrepp.MASK if n_over is None else talformat.fmt_tal(n_over)
        text = (f"Villkor 2, brukarnas avgift: av {talformat.fmt_tal(n_alla)} brukare i försöket fick {tal} en "
                f"månadsavgift som ändras med mer än {u.forsok.troskel.text()} någon månad med ersättning per insats. ")
        if a.antal_saknas:
            n_saknas = celler[FORDELNING_KLASSER[5]]
            text += (f"För {begrepp.MASK if n_saknas is None else talformat.fmt_tal(n_saknas)} "
                     "brukare kan avgiften inte beräknas (tid, taxa eller maxtaxa saknas). ")
        if n_over == 0 and not a.antal_saknas:
            text += "Avgiften påverkas alltså inte i väsentlig grad."
        elif n_over is not None and n_over > 0:
            text += "Avgiften påverkas alltså i väsentlig grad för några brukare; villkoret är inte uppfyllt för dem."
        stycken.append(text)
    stycken.append("Avgiften är taxans belopp (timtaxa × timmar) begränsat av maxtaxan, före en eventuell minskning "
                   "för den enskildes avgiftsutrymme: inkomsterna finns inte i underlaget, så den avgift som faktiskt "
                   "tas ut kan vara lägre.")

    antaganden = [
        f"Ersättning per timme: dagens ersättningsnivåer per besöksdag, insats och regi (samma beräkning som på "
        f"övriga sidor). Per insats: ett pris per insatstyp för alla besök hos {regi_text(u.forsok.regier)}; besök hos "
        "andra utförare ersätts per timme i båda modellerna.",
        "Priserna per insats är exklusive momskompensation; privata utförare får momskompensation ovanpå, som vid "
        "timersättningen. En kommun eller egen regi får den aldrig.",
        f"Avgiften per timme tas ut för {GRUND_TEXT[u.avgift_grund]} tid; per insats för insatstypens normtid. "
        "Timtaxa × timmar avrundas till hela kronor per månad.",
    ]
    if u.forsok.prislista_underlag == "harledd":
        antaganden.append("Den härledda prislistan är dagens kostnad per timme för en basperiod delad med antalet "
                          "insatser per insatstyp, avrundad till hela kronor; normtiden är medeltiden per insats.")
    antaganden += [m.text for m in u.maxtaxor if m.harledd or m.kr is None]
    kallor = [SEED_KALLA, *(m.text for m in u.maxtaxor if not m.harledd and m.kr is not None), *u.kallor]

    fotnot = smatalsskydd.footnote_sv(smatal_grans) if oppen_vy else None
    tabeller = (_manadstabell(u, oppen_vy, smatal_grans), _utforartabell(u, oppen_vy, smatal_grans),
                _avgiftstabell(u, oppen_vy, smatal_grans), _pristabell(u))
    return tj.Avsnitt(rubrik=RUBRIK, stycken=tuple(stycken), antaganden=tuple(antaganden),
                      kallor=tuple(dict.fromkeys(kallor)), beslut=(), tabeller=tabeller, fotnot=fotnot)


def _dec(x) -> Decimal | None:
    return None if x is None or pd.isna(x) else Decimal(str(x))


def _manadstabell(u: Utfall, oppen_vy: bool, smatal_grans: int) -> tj.Tabell:
    budget = {(int(r.ar), int(r.manad)): Decimal(str(r.budget_kr))
              for r in u.budget.itertuples(index=False) if not pd.isna(r.manad)}
    df = u.per_manad.copy()
    df["Månad"] = [tj.TOTAL if pd.isna(r.ar) else f"{talformat.manad_namn(int(r.manad))} {int(r.ar)}"
                   for r in df.itertuples(index=False)]
    df["skillnad"] = df["kostnad_insats_kr"].astype(float) - df["kostnad_timme_kr"].astype(float)
    # The per-hour cost describes every brukare of the month; the per-insats cost and the difference
    # differ from it only by the trial's brukare, so those are protected by the trial's count.
    alla = smatalsskydd.mask_long(df[["Månad", "personer", "kostnad_timme_kr"]], persons_col="personer",
                             value_cols=["kostnad_timme_kr"], smatal_grans=smatal_grans, oppen_vy=oppen_vy,
                             label_col="Månad", total_label=tj.TOTAL)
    m = smatalsskydd.mask_long(df[["Månad", "personer_i_forsok", "kostnad_insats_kr", "skillnad"]],
                          persons_col="personer_i_forsok", value_cols=["kostnad_insats_kr", "skillnad"],
                          smatal_grans=smatal_grans, oppen_vy=oppen_vy, label_col="Månad", total_label=tj.TOTAL)
    rader = []
    for i, r in enumerate(df.itertuples(index=False)):
        dold_alla = bool(alla.mask.iloc[i]["kostnad_timme_kr"])
        dold = dold_alla or bool(m.mask.iloc[i]["kostnad_insats_kr"])
        b = u.budget_kr if pd.isna(r.ar) else budget.get((int(r.ar), int(r.manad)))
        rader.append((r.Månad, b if b is not None else tj.SAKNAS, None if dold_alla else _dec(r.kostnad_timme_kr),
                      None if dold else _dec(r.kostnad_insats_kr), None if dold else _dec(r.skillnad)))
    return tj.Tabell("Per månad", f"Nämndens kostnad för hemtjänst per månad, {period_text(u.forsok.fran, u.forsok.till)}",
                     ("Månad", "Budget (kr)", "Per timme (kr)", "Per insats (kr)", "Skillnad (kr)"),
                     ("text", "kr", "kr", "kr", "andring_kr"), tuple(rader),
                     m.footnote or alla.footnote)


def _utforartabell(u: Utfall, oppen_vy: bool, smatal_grans: int) -> tj.Tabell:
    df = u.per_utforare.copy()
    df["Utförare"] = [tj.TOTAL if pd.isna(r.utforare_id) else str(r.utforare_namn or r.utforare_id)
                      for r in df.itertuples(index=False)]
    df["skillnad"] = df["kostnad_insats_kr"].astype(float) - df["kostnad_timme_kr"].astype(float)
    m = smatalsskydd.mask_long(df[["Utförare", "personer", "antal_besok", "kostnad_timme_kr", "kostnad_insats_kr", "skillnad"]],
                          persons_col="personer", value_cols=["antal_besok", "kostnad_timme_kr", "kostnad_insats_kr", "skillnad"],
                          smatal_grans=smatal_grans, oppen_vy=oppen_vy, label_col="Utförare", total_label=tj.TOTAL)
    # The total's difference is the trial payees' difference (others are paid per hour both ways):
    # withheld with the trial when the trial describes too few brukare.
    forsok_dold = smatalsskydd.is_masked(u.personer_i_forsok, smatal_grans, oppen_vy=oppen_vy)
    rader = []
    for i, r in enumerate(df.itertuples(index=False)):
        dold = bool(m.mask.iloc[i]["personer"])
        if pd.isna(r.utforare_id) and forsok_dold:
            rader.append((r.Utförare, "", "", int(r.personer), int(r.antal_besok), _dec(r.kostnad_timme_kr), None, None))
            continue
        regi = "" if pd.isna(r.utforare_id) else begrepp.REGI_TEXT.get(r.regi, str(r.regi))
        i_forsok = "" if pd.isna(r.utforare_id) else ("ja" if r.is_i_forsok else "nej")
        rader.append((r.Utförare, regi, i_forsok, None if dold else int(r.personer),
                      None if dold else int(r.antal_besok), None if dold else _dec(r.kostnad_timme_kr),
                      None if dold else _dec(r.kostnad_insats_kr), None if dold else _dec(r.skillnad)))
    return tj.Tabell("Per utförare", "Utförarnas ersättning under perioden",
                     ("Utförare", "Regi", "I försöket", "Brukare", "Besök", "Per timme (kr)", "Per insats (kr)",
                      "Skillnad (kr)"),
                     ("text", "text", "text", "antal", "antal", "kr", "kr", "andring_kr"), tuple(rader), m.footnote)


def antal_over_visat(u: Utfall, *, oppen_vy: bool, smatal_grans: int) -> int | None:
    """Brukare whose avgift changes beyond the threshold, or None when the avgift table withholds
    either of its classes (the count would then give a hidden cell away)."""
    celler = avgiftsceller(u, oppen_vy, smatal_grans)
    over = (celler[FORDELNING_KLASSER[0]], celler[FORDELNING_KLASSER[4]])
    return None if None in over else sum(over)


def avgiftsceller(u: Utfall, oppen_vy: bool, smatal_grans: int) -> dict[str, int | None]:
    """The avgift table's cells as published ({class or 'Totalt': brukare, None = withheld})."""
    return dict(_avgiftstabell(u, oppen_vy, smatal_grans).rader)


def _avgiftstabell(u: Utfall, oppen_vy: bool, smatal_grans: int) -> tj.Tabell:
    df = u.avgift.fordelning.copy()
    df = pd.concat([df, pd.DataFrame({"Avgiften": [tj.TOTAL], "Brukare": [u.avgift.antal_brukare]})], ignore_index=True)
    m = smatalsskydd.mask_long(df, persons_col="Brukare", value_cols=[], smatal_grans=smatal_grans, oppen_vy=oppen_vy,
                          label_col="Avgiften", total_label=tj.TOTAL)
    rader = tuple((r.Avgiften, None if m.mask.iloc[i]["Brukare"] else int(r.Brukare))
                  for i, r in enumerate(df.itertuples(index=False)))
    return tj.Tabell("Avgift", f"Brukare i försöket efter hur månadsavgiften ändras (tröskel {u.forsok.troskel.text()}, "
                     "den månad som ändras mest)", ("Avgiften", "Brukare"), ("text", "antal"), rader, m.footnote)


def _pristabell(u: Utfall) -> tj.Tabell:
    rader = tuple((p.insatstyp, p.benamning, p.kr_per_insats if p.kr_per_insats is not None else tj.SAKNAS,
                   p.normtid_min if p.normtid_min is not None else tj.SAKNAS) for p in u.forsok.prislista)
    return tj.Tabell("Prislista", f"Pris per insats i försöket ({UNDERLAG_TEXT[u.forsok.prislista_underlag]}"
                     f"{', ändrad för hand' if u.forsok.prislista_andrad else ''})",
                     ("Insatstyp", "Benämning", "Pris (kr per insats)", "Normtid (min)"),
                     ("text", "text", "kr_tim", "antal"), rader)
