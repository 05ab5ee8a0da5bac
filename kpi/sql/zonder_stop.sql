-- Zonder stop: one row per started toewijzing (not removed, with a standing 305) whose
-- einddatum lies in the period and whose 307 deadline (5th werkdag after the einddatum)
-- lies before the peildatum. zonder_stop = 1 when no standing 307 is linked.
-- Params: $van, $tot, $peildatum, $kalender_datum, $kalender_uiterlijk.
-- datum: the day that places the unit in the period (a monthly series splits by it).

with

kalender as (
    select
        unnest($kalender_datum::date[]) as datum,
        unnest($kalender_uiterlijk::date[]) as uiterlijk
),

verlopen as (
    select toewijzing_feiten.*
    from toewijzing_feiten
    inner join kalender
        on kalender.datum = toewijzing_feiten.einddatum
    where not toewijzing_feiten.verwijderd
        and toewijzing_feiten.gestart
        and toewijzing_feiten.einddatum between $van and $tot
        and kalender.uiterlijk < $peildatum
)

select
    gemeente || '|' || toewijzingnummer as eenheid,
    client_id,
    gemeente,
    domein,
    segment,
    subsegment,
    aanbieder,
    false as voorlopig,
    einddatum as datum,
    (not gestopt)::integer as zonder_stop
from verlopen
