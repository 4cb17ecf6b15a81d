-- kostnadsregel: the cost rule's momskompensation, both ways (DESIGN §4, seed 000), as scalar
-- macros used by stg_besok (and through it by every cost, the invoice check and the mapping).
-- The same rule in Python is beslutsstod.kostnadsregel; tests/test_kostnadsregel.py checks that
-- the two agree to the öre on generated rates, regier and bases.
--
--   payee private (regi 'privat'):     rate excl. → × (1 + moms);   rate incl. → as it stands
--   municipality or egen regi (other): rate excl. → as it stands;   rate incl. → ÷ (1 + moms)
--   momskompensation_ingar unknown (null): the rate as it stands
--
-- The factor is a fraction of two integers (basis points, 600 = 6 %) so that the cost stays in
-- integer arithmetic: öre = minutes × öre per hour × täljare / (60 × nämnare), half up, once.

create or replace macro momsfaktor_taljare(regi, moms_ingar, moms_bp) as
    10000 + case when regi = 'privat' and moms_ingar = false then moms_bp else 0 end;

create or replace macro momsfaktor_namnare(regi, moms_ingar, moms_bp) as
    10000 + case when regi is distinct from 'privat' and moms_ingar = true then moms_bp else 0 end;

-- the factor as a double, for display and for ratios (never for an amount)
create or replace macro momsfaktor(regi, moms_ingar, moms_bp) as
    cast(momsfaktor_taljare(regi, moms_ingar, moms_bp) as double)
    / momsfaktor_namnare(regi, moms_ingar, moms_bp);

-- cost in whole öre, half up (away from zero), of `minuter` at `kr_per_timme` (decimal, kr/h)
create or replace macro kostnad_ore(minuter, kr_per_timme, regi, moms_ingar, moms_bp) as
    sign(cast(minuter as hugeint) * cast(kr_per_timme * 100 as hugeint))
    * (
        abs(cast(minuter as hugeint) * cast(kr_per_timme * 100 as hugeint))
            * momsfaktor_taljare(regi, moms_ingar, moms_bp) * 2
        + 60 * momsfaktor_namnare(regi, moms_ingar, moms_bp)
    ) // (120 * momsfaktor_namnare(regi, moms_ingar, moms_bp));
