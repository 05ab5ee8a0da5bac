-- Instroom: one row per zorgtraject whose begindatum lies in the period.
-- Also carries the wachttijd (for wachttijd, wachttijd_binnen_norm) and whether the
-- client is new: no zorgdag in the same domein in the 365 days before the begin. Open care
-- runs to the peildatum: the client's earlier care (traject_feiten.vorige_zorg_einde, open =
-- 9999-12-31) counts up to the peildatum.
-- Params: $van, $tot, $peildatum, $wachttijd_norm_dagen.
-- datum: the day that places the unit in the period (a monthly series splits by it).

with

gestart as (
    select *
    from traject_feiten
    where begindatum between $van and $tot
),

met_wachttijd as (
    select
        *,
        greatest(begindatum - wacht_ingangsdatum, 0)::integer as wachttijd,  -- days
        vorige_zorg_einde is null
        or least(vorige_zorg_einde, $peildatum) < begindatum - 365 as nieuw
    from gestart
)

select
    traject_id as eenheid,
    client_id,
    gemeente,
    domein,
    segment,
    subsegment,
    aanbieder,
    false as voorlopig,
    begindatum as datum,
    nieuw,
    wachttijd,
    (wachttijd <= $wachttijd_norm_dagen)::integer as binnen_norm
from met_wachttijd
