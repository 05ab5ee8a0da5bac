-- Zonder start: one row per toewijzing (not removed) with ingangsdatum in the period and
-- more than 42 days before the peildatum. zonder_start = 1 when no standing 305 is linked.
-- Params: $van, $tot, $peildatum.

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
        ingangsdatum
    from toewijzingen
    where not verwijderd
),

starts as (
    select distinct gemeente, toewijzingnummer
    from start_stop
    where berichtsoort = '305'
        and toewijzingnummer is not null
),

oud_genoeg as (
    select *
    from toewijzingen_
    where ingangsdatum between $van and $tot
        and $peildatum - ingangsdatum > 42
)

select
    oud_genoeg.gemeente || '|' || oud_genoeg.toewijzingnummer as eenheid,
    oud_genoeg.client_id,
    oud_genoeg.gemeente,
    oud_genoeg.domein,
    oud_genoeg.segment,
    oud_genoeg.subsegment,
    oud_genoeg.aanbieder,
    false as voorlopig,
    (starts.toewijzingnummer is null)::integer as zonder_start
from oud_genoeg
left join starts
    on starts.gemeente = oud_genoeg.gemeente
    and starts.toewijzingnummer = oud_genoeg.toewijzingnummer
