"""Problems found in an import file, and the Swedish text for each kind of problem.

A problem is a record (fil, rad, kolumn, varde, orsak) so the Data page can show it as a table
and the CLI as lines. `rad` is the row as the user sees it in the file: the header is row 1,
so the first data row is row 2 (in an .xlsx: the sheet's own row number). Texts are written
for a controller, not a programmer: what is wrong, with which value, and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

FEL = "fel"  # refuses the import
VARNING = "varning"  # reported, import continues

VARDE_MAX_TECKEN = 60  # characters of a value shown in a message

# kod -> (severity, template). Templates may use {varde} {kolumn} {tabell} {info1..3}.
MEDDELANDEN: dict[str, tuple[str, str]] = {
    # --- the file as a whole ---
    "fel_filandelse": (FEL, "filtypen '{varde}' kan inte importeras; använd .csv eller .xlsx."),
    "filen_saknas": (FEL, "filen finns inte eller kan inte öppnas ({info1})."),
    "tom_fil": (FEL, "filen är tom (0 byte)."),
    "for_stor": (FEL, "filen är {varde}, större än gränsen {info1}."),
    "inga_rader": (FEL, "filen innehåller inga datarader, bara {info1}."),
    "binar_fil": (FEL, "filen innehåller binära data och är ingen textfil (CSV). Exportera den "
                       "som CSV eller spara den som .xlsx."),
    "xlsx_som_csv": (FEL, "filen är en Excel-arbetsbok men har ändelsen .csv; byt ändelse till "
                          ".xlsx och importera igen."),
    "xls_format": (FEL, "filen är i det gamla Excel-formatet (.xls), som inte kan läsas. Spara "
                        "den som Excel-arbetsbok (.xlsx) eller som CSV."),
    "utf16": (FEL, "filen är sparad som UTF-16 (i Excel: 'Unicode-text'). Spara den som "
                   "'CSV UTF-8 (kommaavgränsad)' eller som CSV (semikolonavgränsad)."),
    "okand_kodning": (FEL, "raden innehåller byten {varde}, som inte är ett giltigt tecken i "
                           "{info1}. {info2}"),
    "mojibake": (FEL, "texten '{varde}' innehåller teckenföljder som 'Ã¥', 'Ã¤' och 'Ã¶'. Det "
                      "betyder att text i UTF-8 har lästs som Windows-1252. {info1}"),
    "avkortad": (FEL, "filen slutar mitt i en rad ({info1}); den verkar avkortad, t.ex. av en "
                      "avbruten export eller nedladdning. Exportera filen på nytt."),
    "for_fa_falt": (FEL, "raden har {info1} fält men rubrikraden har {info2}. Kontrollera "
                         "avgränsaren och att värden som innehåller avgränsaren står inom "
                         "citattecken."),
    "for_manga_falt": (FEL, "raden har {info1} fält men rubrikraden har {info2}. Troligen "
                            "innehåller ett värde avgränsaren (t.ex. ett decimalkomma i en "
                            "kommaavgränsad fil); sätt sådana värden inom citattecken."),
    "citat_fel": (FEL, "raden har ett citattecken (\") som aldrig avslutas."),
    "olasbar_rad": (FEL, "filen kunde inte läsas som CSV. Kontrollera att den är en textfil "
                         "med en rubrikrad och en rad per post, spara den som 'CSV UTF-8' och "
                         "importera igen. (Teknisk detalj: {info1})"),
    "for_lang_rad": (FEL, "raden är längre än {info1} tecken, mer än någon rad i en giltig fil "
                          "kan vara. Troligen saknas radbrytningar eller så är filen ingen "
                          "CSV-fil; exportera filen på nytt."),
    "nul_tecken": (FEL, "raden innehåller NUL-tecken (byte 0), som inte förekommer i text. "
                        "Filen är skadad eller ingen textfil; exportera den på nytt som CSV."),
    "for_manga_kolumner": (FEL, "rubrikraden har {info1} kolumner; en importfil får ha högst "
                                "{info2}. Använd mallen för tabellen och ta bort överflödiga "
                                "kolumner."),
    "ingen_avgransare": (FEL, "kolumnavgränsaren kunde inte hittas i rubrikraden '{varde}'. "
                              "Skriv kolumnnamnen åtskilda med semikolon (;) eller komma (,) "
                              "enligt mallen."),
    "okand_kolumn": (FEL, "kolumnen '{varde}' finns inte i tabellen {tabell}. Tillåtna "
                          "kolumner: {info1}."),
    "saknad_kolumn": (FEL, "kolumnen {kolumn} saknas i filen. Tabellen {tabell} ska ha "
                           "kolumnerna: {info1}."),
    "dubbel_kolumn": (FEL, "kolumnen {kolumn} förekommer flera gånger i rubrikraden "
                           "(som '{varde}')."),
    "varde_utan_rubrik": (FEL, "kolumn {varde} innehåller värden men saknar rubrik."),
    "skadad_xlsx": (FEL, "filen kunde inte läsas som Excel-arbetsbok: den är skadad, avkortad "
                         "eller ingen .xlsx-fil. Öppna den i Excel och spara den igen som "
                         "Excel-arbetsbok (.xlsx), eller exportera den på nytt. "
                         "(Teknisk detalj: {info1})"),
    "blad_saknas": (FEL, "bladet '{varde}' finns inte. Arbetsboken har bladen: {info1}."),
    "flera_blad": (FEL, "arbetsboken har flera blad med innehåll ({info1}) och inget heter "
                        "'{tabell}'. Döp om bladet med data till '{tabell}' eller ange vilket "
                        "blad som ska läsas."),
    "tom_arbetsbok": (FEL, "arbetsboken innehåller inga ifyllda celler."),
    "sammanfogad_rubrik": (FEL, "rubrikcellerna {varde} är sammanfogade. Varje kolumn måste ha "
                                "en egen rubrik: ta bort sammanfogningen och skriv "
                                "kolumnnamnen enligt mallen."),
    "sammanfogade_celler": (FEL, "cellerna {varde} är sammanfogade, så bara den första har ett "
                                 "värde. Ta bort sammanfogningen och fyll i värdet på varje rad."),
    "formel_utan_varde": (FEL, "cellen innehåller formeln '{varde}' men inget sparat värde "
                               "(filen är skapad av ett program som inte räknar formler). "
                               "Öppna filen i Excel och spara den igen, eller klistra in "
                               "värdena."),
    "dubbel_tabell": (FEL, "tabellen {tabell} finns med flera gånger i samma import."),
    "ogiltig_nyckel": (FEL, "{info1}"),
    "ogiltigt_val": (FEL, "{info1}"),
    "internt_fel": (FEL, "kontrollen av filen kunde inte slutföras. Ingenting har ändrats. "
                         "Försök igen; kvarstår felet, kontakta systemförvaltaren och bifoga "
                         "importrapporten. (Teknisk detalj: {info1})"),
    "import_pagar": (FEL, "en annan import pågår just nu; försök igen om en stund."),
    # --- one cell ---
    "saknas": (FEL, "värde saknas; {kolumn} måste vara ifylld."),
    "inte_tal": (FEL, "värdet '{varde}' är inte ett tal."),
    "inte_heltal": (FEL, "värdet '{varde}' är inte ett heltal; {kolumn} anges i hela {info1}."),
    "fel_decimaltecken": (FEL, "värdet '{varde}' har {info1}, men filen använder {info2}. "
                               "Skriv talet med samma decimaltecken som resten av filen."),
    "negativ_tid": (FEL, "värdet '{varde}' är negativt; minuter måste vara 0 eller mer."),
    "over_24h": (FEL, "värdet '{varde}' är mer än 24 timmar (1 440 minuter) för ett enda "
                      "besök."),
    "manad_utanfor": (FEL, "månaden '{varde}' finns inte; månad anges som 1–12."),
    "ar_utanfor": (FEL, "året '{varde}' ligger utanför {info1}–{info2}."),
    "for_stort": (FEL, "värdet '{varde}' är för stort för kolumnen {kolumn}."),
    "taxa_ej_positiv": (FEL, "timtaxan '{varde}' är {info1}; en ersättningsnivå måste vara "
                             "större än 0 kr per timme."),
    "datum_finns_inte": (FEL, "datumet '{varde}' finns inte i kalendern."),
    "datum_format": (FEL, "värdet '{varde}' är inte ett datum skrivet ÅÅÅÅ-MM-DD{info1}."),
    "okand_kommun": (FEL, "kommunkoden '{varde}' är inte en av Sveriges 290 kommunkoder "
                          "(SCB:s fyrsiffriga kod, t.ex. 1401 för Härryda)."),
    "kommun_nolla": (VARNING, "kommunkoden '{varde}' saknade inledande nolla (vanligt när "
                              "Excel tolkar koden som ett tal) och lästes som {info1}."),
    "okant_varde": (FEL, "värdet '{varde}' är inte tillåtet i {kolumn}; tillåtna värden är "
                         "{info1}.{info2}"),
    "inte_bool": (FEL, "värdet '{varde}' är inte sant eller falskt; skriv true/false (eller "
                       "ja/nej, 1/0)."),
    "id_ej_ascii": (FEL, "värdet '{varde}' innehåller andra tecken än ASCII (t.ex. å, ä, ö); "
                         "id-kolumner får bara innehålla ASCII-tecken."),
    "personnummer": (FEL, "värdet '{varde}' ser ut som ett {info1}. {kolumn} måste vara en "
                          "pseudonym: personnummer och samordningsnummer är direkta "
                          "personuppgifter och får inte lagras i beslutsstödet, vars siffror "
                          "visas för nämnden och blir allmänna handlingar. Ersätt dem med "
                          "pseudonymer i exporten, eller importera med pseudonymisering "
                          "(nyckelad hash)."),
    "personnummer_i_text": (FEL, "värdet '{varde}' innehåller ett {info1}. Personnummer och "
                                 "samordningsnummer är direkta personuppgifter och får inte "
                                 "lagras i beslutsstödet, vars siffror visas för nämnden och "
                                 "blir allmänna handlingar. Ta bort numret ur {kolumn} i "
                                 "källsystemet eller exporten och importera igen."),
    "kontrolltecken": (FEL, "värdet '{varde}' innehåller ett kontrolltecken (t.ex. NUL, tabb "
                            "eller radbrytning inne i värdet, visat som ␀ ␉ ␊) eller ett "
                            "osynligt tecken som vänder textriktningen. Sådana tecken kan "
                            "inte lagras; ta bort dem i källan och exportera igen."),
    "for_langt": (FEL, "värdet '{varde}' är längre än {info1} tecken, som är det längsta "
                       "{kolumn} får vara."),
    # --- several rows ---
    "dubblett": (FEL, "{kolumn} '{varde}' finns redan på rad {info1}; {info2}."),
    "okand_utforare": (FEL, "utföraren '{varde}' finns inte i utförarregistret{info1}. "
                            "Importera utförarfilen (utforare) först eller rätta id:t."),
    "utforare_anvands": (FEL, "{info1} lagrade besök hänvisar till utförare som saknas i den "
                              "nya filen: {varde}. Utförarregistret måste innehålla även "
                              "utförare som inte längre är aktiva."),
    "period_omvand": (FEL, "{kolumn} {varde} ligger före {info1} {info2} på samma rad."),
    "period_overlapp": (FEL, "perioden {varde} överlappar perioden {info1} på rad {info2} för "
                             "{info3}; varje dag får ha högst en ersättningsnivå per insats "
                             "och regi."),
    "budget_blandad": (FEL, "år {varde} har både en årsbudget (tom månad, rad {info2}) och "
                            "månadsbudget för insats {info1}; ange antingen en rad per månad "
                            "eller en rad för hela året."),
    "vistelse_overlapp": (VARNING, "vistelsen {varde} överlappar vistelsen {info1} på rad "
                                   "{info2} för samma brukare."),
    "beviljad_saknas": (FEL, "beviljad tid saknas, men ersättningen som gäller för besöket "
                             "({info1}) betalas per beviljad tid; utan beviljad tid kan "
                             "kostnaden inte beräknas."),
    "beviljad_saknas_varning": (VARNING, "beviljad tid saknas; besöket räknas inte med när "
                                         "beviljad och utförd tid jämförs eller när "
                                         "ersättning per beviljad tid simuleras."),
}


def synliga_kontrolltecken(text: str) -> str:
    """Control characters shown as Unicode control pictures (NUL -> ␀, tab -> ␉, DEL -> ␡),
    bidirectional overrides as '�', so a message never carries them to a screen or a log."""
    ut = []
    for t in text:
        k = ord(t)
        if k < 0x20:
            ut.append(chr(0x2400 + k))
        elif k == 0x7F:
            ut.append("\u2421")
        elif 0x80 <= k <= 0x9F or 0x202A <= k <= 0x202E or 0x2066 <= k <= 0x2069:
            ut.append("\ufffd")
        else:
            ut.append(t)
    return "".join(ut)


def _kort(varde: str | None) -> str | None:
    if varde is None:
        return None
    varde = synliga_kontrolltecken(str(varde))
    if len(varde) > VARDE_MAX_TECKEN:
        return varde[: VARDE_MAX_TECKEN - 1] + "…"
    return varde


@dataclass(frozen=True)
class Problem:
    """One problem: where (fil, rad, kolumn), what (varde) and why (orsak, Swedish)."""

    fil: str
    rad: int | None
    kolumn: str | None
    varde: str | None
    orsak: str
    kod: str
    allvarlighet: str = FEL

    @property
    def text(self) -> str:
        """'Rad 14, kolumn utford_min: värdet '-5' är negativt; ...'."""
        if self.rad is not None and self.kolumn:
            return f"Rad {self.rad}, kolumn {self.kolumn}: {self.orsak}"
        if self.rad is not None:
            return f"Rad {self.rad}: {self.orsak}"
        if self.kolumn:
            return f"Kolumn {self.kolumn}: {self.orsak}"
        return self.orsak[:1].upper() + self.orsak[1:]

    def som_dict(self) -> dict:
        return {"fil": self.fil, "rad": self.rad, "kolumn": self.kolumn, "varde": self.varde,
                "orsak": self.orsak, "kod": self.kod, "allvarlighet": self.allvarlighet}


def problem(fil: str, kod: str, *, rad: int | None = None, kolumn: str | None = None,
            varde: object = None, tabell: str = "", info1: object = "", info2: object = "",
            info3: object = "") -> Problem:
    """Build a Problem from the catalogue; the value is shortened for display."""
    allvarlighet, mall = MEDDELANDEN[kod]
    varde_text = _kort(None if varde is None else str(varde))
    orsak = mall.format(varde=varde_text if varde_text is not None else "", kolumn=kolumn or "",
                        tabell=tabell, info1="" if info1 is None else info1,
                        info2="" if info2 is None else info2,
                        info3="" if info3 is None else info3)
    return Problem(fil=fil, rad=rad, kolumn=kolumn, varde=varde_text, orsak=orsak, kod=kod,
                   allvarlighet=allvarlighet)


class Avbryt(Exception):
    """Raised inside reading when the file cannot be read any further; carries its problems."""

    def __init__(self, problem_lista: list[Problem]):
        super().__init__("; ".join(p.text for p in problem_lista))
        self.problem = problem_lista
