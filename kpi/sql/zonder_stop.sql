-- Zonder stop: one row per started toewijzing (not removed, with a standing 305) whose
-- einddatum lies in the period and whose 307 deadline (5th werkdag after the einddatum)
-- lies before the peildatum. zonder_stop = 1 when no standing 307 is linked.
-- Params: $van, $tot, $peildatum, $kalender_datum, $kalender_uiterlijk.

with

toewijzingen_ as (
    select
        gemeente,
        toewijzingnummer,
        client_id,
        domein,
        segment,
        subsegment,
        aanbieder,
        einddatum
    from toewijzingen
    where not verwijderd
        and einddatum is not null
),

gekoppeld as (
    select
        gemeente,
        toewijzingnummer,
        bool_or(berichtsoort = '305') as gestart,
        bool_or(berichtsoort = '307') as gestopt
    from start_stop
    where toewijzingnummer is not null
    group by gemeente, toewijzingnummer
),

kalender as (
    select
        unnest($kalender_datum::date[]) as datum,
        unnest($kalender_uiterlijk::date[]) as uiterlijk
),

verlopen as (
    select
        toewijzingen_.*,
        coalesce(gekoppeld.gestopt, false) as gestopt
    from toewijzingen_
    inner join gekoppeld
        on gekoppeld.gemeente = toewijzingen_.gemeente
        and gekoppeld.toewijzingnummer = toewijzingen_.toewijzingnummer
        and gekoppeld.gestart
    inner join kalender
        on kalender.datum = toewijzingen_.einddatum
    where toewijzingen_.einddatum between $van and $tot
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
    (not gestopt)::integer as zonder_stop
from verlopen
