"""The vistelsekommuner's own rates (Kartläggning's reference table, beslutsstod/inlasning/egna_nivaer.py):
CSV in and out with the import pipeline's problems, the page's editor rows checked like a file."""

from __future__ import annotations

import pandas as pd

from beslutsstod.inlasning import egna_nivaer
from beslutsstod.vyer import kartlaggning as kl

CSV_SV = ("\ufeffkommunkod;ar;insats;kr_per_timme;momskompensation_ingar;kalla\r\n"
          "1435;2024;hemtjanst;500,00;nej;Tanums LOV-ersättning 2024\r\n"
          "1486;2024;Hemtjänst;424;ja;Strömstad, KF § 12\r\n"
          "1435;2024;kommunal_primarvard;800;;\r\n"
          "1435;2023;hemtjanst;480;nej;\r\n"
          ";;;;;\r\n"  # an empty row is skipped, not an error
          "9999;2024;hemtjanst;500;nej;\r\n"
          "1435;20x4;hemtjanst;500;nej;\r\n"
          "1435;2025;städning;500;nej;\r\n"
          "1435;2025;hemtjanst;0;nej;\r\n"
          "1435;2025;hemtjanst;500;kanske;\r\n"
          "1435;2024;hemtjanst;510;nej;\r\n")


def test_reference_csv_is_read_with_row_errors():
    egna, fel = egna_nivaer.las(CSV_SV.encode("utf-8"), "egna.csv")
    assert egna[["kommunkod", "ar", "insats", "kr_per_timme", "momskompensation_ingar"]].values.tolist() == [
        ["1435", 2023, "hemtjanst", 480.0, False],
        ["1435", 2024, "hemtjanst", 500.0, False],
        ["1435", 2024, "kommunal_primarvard", 800.0, False],
        ["1486", 2024, "hemtjanst", 424.0, True],
    ]
    assert egna.loc[egna["kommunkod"] == "1486", "kalla"].item() == "Strömstad, KF § 12"
    # the import pipeline's problems: file, row as in the file (header = row 1), column, Swedish reason
    assert {p.fil for p in fel} == {"egna.csv"}
    assert [(p.rad, p.kolumn, p.kod) for p in fel] == [
        (7, "kommunkod", "okand_kommun"), (8, "ar", "inte_tal"), (9, "insats", "okant_varde"),
        (10, "kr_per_timme", "taxa_ej_positiv"), (11, "momskompensation_ingar", "inte_bool"),
        (12, "kommunkod, ar, insats", "dubblett")]
    assert [p.text for p in fel] == [
        "Rad 7, kolumn kommunkod: kommunkoden '9999' är inte en av Sveriges 290 kommunkoder (SCB:s fyrsiffriga "
        "kod, t.ex. 1401 för Härryda).",
        "Rad 8, kolumn ar: värdet '20x4' är inte ett tal.",
        "Rad 9, kolumn insats: värdet 'städning' är inte tillåtet i insats; tillåtna värden är hemtjanst och "
        "kommunal_primarvard.",
        "Rad 10, kolumn kr_per_timme: timtaxan '0' är noll; en ersättningsnivå måste vara större än 0 kr per timme.",
        "Rad 11, kolumn momskompensation_ingar: värdet 'kanske' är inte sant eller falskt; skriv true/false "
        "(eller ja/nej, 1/0).",
        "Rad 12, kolumn kommunkod, ar, insats: kommunkod, ar, insats '1435, 2024, hemtjanst' finns redan på rad 2; "
        "Tanum kan ha en egen nivå per år och insats.",
    ]


def test_reference_csv_with_commas_windows_1252_and_missing_columns():
    text = "kommunkod,ar,insats,kr_per_timme\n1435,2024,hemtjänst,512.5\n"
    egna, fel = egna_nivaer.las(text.encode("cp1252"), "egna.csv")
    assert fel == [] and egna[["kommunkod", "insats", "kr_per_timme"]].values.tolist() == [["1435", "hemtjanst", 512.5]]
    assert egna["momskompensation_ingar"].tolist() == [False]
    egna, fel = egna_nivaer.las("kommun;ar\n1435;2024\n".encode(), "egna.csv")
    assert egna.empty and [(p.rad, p.kolumn) for p in fel] == [(1, "kommunkod"), (1, "insats"), (1, "kr_per_timme")]
    assert fel[0].text.startswith("Rad 1, kolumn kommunkod: kolumnen kommunkod saknas i filen. Tabellen "
                                  "vistelsekommunernas egna nivåer ska ha kolumnerna: kommunkod;ar;insats;")
    assert [p.text for p in egna_nivaer.las(b"", "egna.csv")[1]] == ["Filen är tom (0 byte)."]


def test_reference_table_round_trip(tmp_path):
    egna, _ = egna_nivaer.las(CSV_SV.encode("utf-8"), "egna.csv")
    sokvag = egna_nivaer.sokvag(tmp_path)
    assert sokvag == tmp_path / "kartlaggning" / "vistelsekommuners_nivaer.csv"
    assert egna_nivaer.las_sparad(sokvag)[0].empty  # no file yet
    egna_nivaer.spara(egna, sokvag)
    assert sokvag.read_bytes().startswith(b"\xef\xbb\xbfkommunkod;ar;insats;kr_per_timme")
    assert "1486;2024;hemtjanst;424;ja;Strömstad, KF § 12" in sokvag.read_text(encoding="utf-8-sig")
    tillbaka, fel = egna_nivaer.las_sparad(sokvag)
    assert fel == []
    pd.testing.assert_frame_equal(tillbaka, egna)
    assert not list(sokvag.parent.glob("*.tmp"))


def test_editor_rows_are_validated_like_a_file():
    egna, _ = egna_nivaer.las(CSV_SV.encode("utf-8"), "egna.csv")
    redigerad = kl.redigerbar(egna)
    assert redigerad["kommunkod"].iloc[0] == "1435 Tanum" and redigerad["insats"].iloc[0] == "Hemtjänst"
    # the editor adds a row: kommun chosen by label, year as a float, checkbox left empty
    ny = pd.concat([redigerad, pd.DataFrame([{"kommunkod": "1419 Tjörn", "ar": 2024.0, "insats": "Hemtjänst",
                                              "kr_per_timme": 495.5, "momskompensation_ingar": None, "kalla": None},
                                             {"kommunkod": None, "ar": None, "insats": None, "kr_per_timme": None,
                                              "momskompensation_ingar": None, "kalla": None}])],
                   ignore_index=True)
    tillbaka, fel = egna_nivaer.validera(ny)
    assert fel == []
    assert tillbaka.loc[tillbaka["kommunkod"] == "1419", ["ar", "kr_per_timme", "momskompensation_ingar", "kalla"]
                        ].values.tolist() == [[2024, 495.5, False, ""]]
    assert len(tillbaka) == 5




def test_own_rate_typed_the_swedish_way_keeps_its_magnitude():
    # issue 11 point 3: the editor's own rate is text; `512,5`, `512.5` and `1 012,5` keep their magnitude
    rader = pd.DataFrame([{"kommunkod": "1435 Tanum", "ar": 2024, "insats": "Hemtjänst", "kr_per_timme": "512,5",
                           "momskompensation_ingar": False, "kalla": ""},
                          {"kommunkod": "1435", "ar": 2024, "insats": "Kommunal primärvård", "kr_per_timme": "1 012,5",
                           "momskompensation_ingar": False, "kalla": ""},
                          {"kommunkod": "1480", "ar": 2024, "insats": "Hemtjänst", "kr_per_timme": "512.5",
                           "momskompensation_ingar": False, "kalla": ""}])
    ok, fel = egna_nivaer.validera(rader)
    assert fel == []
    assert list(ok["kr_per_timme"]) == [512.5, 1012.5, 512.5]
    # and the editor shows them with a decimal comma
    assert list(kl.redigerbar(ok)["kr_per_timme"]) == ["512,5", "1012,5", "512,5"]
