-- Instroom: one row per zorgtraject whose begindatum lies in the period.
-- Also carries the wachttijd (for wachttijd, wachttijd_binnen_norm) and whether the
-- client is new: no zorgdag in the same domein in the 365 days before the begin.
-- Params: $van, $tot, $peildatum, $wachttijd_norm_dagen.

with

trajecten as (
    select
        traject_id,
        client_id,
        gemeente,
        domein,
        segment,
        subsegment,
        aanbieder,
        begindatum,
        wacht_ingangsdatum
    from zorgtrajecten
),

intervallen as (
    select
        client_id,
        domein,
        begindatum,
        least(coalesce(einddatum, $peildatum), $peildatum) as einde
    from zorgintervallen
),

gestart as (
    select *
    from trajecten
    where begindatum between $van and $tot
),

eerder_in_zorg as (
    select distinct gestart.traject_id
    from gestart
    inner join intervallen
        on intervallen.client_id = gestart.client_id
        and intervallen.domein = gestart.domein
        and intervallen.begindatum <= gestart.begindatum - 1
        and intervallen.einde >= gestart.begindatum - 365
),

met_wachttijd as (
    select
        gestart.*,
        greatest(gestart.begindatum - gestart.wacht_ingangsdatum, 0) as wachttijd,
        eerder_in_zorg.traject_id is null as nieuw
    from gestart
    left join eerder_in_zorg
        on eerder_in_zorg.traject_id = gestart.traject_id
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
    nieuw,
    wachttijd,
    (wachttijd <= $wachttijd_norm_dagen)::integer as binnen_norm
from met_wachttijd
