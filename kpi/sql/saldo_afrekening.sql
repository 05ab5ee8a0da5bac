-- Saldo afrekening: voorschot minus zorgkosten, both over the period up to the peildatum.
-- One row per aanbieder x gemeente x month piece (its voorschot, from voorschot: saldo
-- positive) and one per contract x month piece (its zorgkosten, from contractmaanden: saldo
-- negative). Positive saldo: the aanbieder pays back.
-- A composite unit set (kpi/eenheden.py, SAMENGESTELD): `deel_contractmaanden` and
-- `deel_voorschot` are those unit sets (their SQL, or their month facts) put in as CTEs,
-- contractmaanden for [$van, $tot] and voorschot for [$van, $voorschot_tot], where
-- $voorschot_tot is the period's end or the peildatum, whichever comes first.
-- Params: $van, $voorschot_tot (and those of the parts).

select
    eenheid,
    client_id,
    gemeente,
    domein,
    segment,
    subsegment,
    aanbieder,
    voorlopig,
    maand,
    bedrag as saldo,
    bedrag as voorschot,
    0 as zorgkosten
from deel_voorschot
where $voorschot_tot >= $van

union all

select
    eenheid,
    client_id,
    gemeente,
    domein,
    segment,
    subsegment,
    aanbieder,
    voorlopig,
    maand,
    -zorgkosten as saldo,
    0 as voorschot,
    zorgkosten
from deel_contractmaanden
