from beslutsstod import formatting as fmt

NBSP = "\xa0"


def test_swedish_formats():
    assert fmt.fmt_kr(1234567.4) == f"1{NBSP}234{NBSP}567 kr"
    assert fmt.fmt_procent(12.46) == "12,5 %"
    assert fmt.fmt_procent(3.14, tecken=True) == "+3,1 %"
    assert fmt.fmt_tkr(1234567) == f"1{NBSP}234,6 tkr"
    assert fmt.fmt_tal(1234.5, 1) == f"1{NBSP}234,5"


def test_missing_is_not_zero():
    assert fmt.fmt_kr(None) == "–"
    assert fmt.fmt_kr(float("nan")) == "–"
