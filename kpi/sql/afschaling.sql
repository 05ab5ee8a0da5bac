-- Afschaling: one row per zorgtraject that ended with a 307 in the period.
-- vervolg = 1 when the client begins a new zorgtraject in the same domein in
-- (end, end + 90]; lichter = 1 when the first such traject (earliest begin; on a tie the
-- lightest: traject_feiten.vervolg_*) has a lower zwaarte. Voorlopig while end + 90 lies
-- after the peildatum.
-- Params: $van, $tot, $peildatum.
-- datum: the day that places the unit in the period (a monthly series splits by it).

with

beeindigd as (
    select
        *,
        coalesce(vervolg_begindatum <= einde + 90, false) as vervolg
    from traject_feiten
    where einddatum_zorg is not null
        and einde between $van and $tot
)

select
    traject_id as eenheid,
    client_id,
    gemeente,
    domein,
    segment,
    subsegment,
    aanbieder,
    einde + 90 > $peildatum as voorlopig,
    einde as datum,
    vervolg::integer as vervolg,
    (vervolg and vervolg_zwaarte < zwaarte)::integer as lichter
from beeindigd
