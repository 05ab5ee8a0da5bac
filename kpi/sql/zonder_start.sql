-- Zonder start: one row per toewijzing (not removed) with ingangsdatum in the period and
-- more than 42 days before the peildatum. zonder_start = 1 when no standing 305 is linked.
-- Params: $van, $tot, $peildatum.
-- datum: the day that places the unit in the period (a monthly series splits by it).

with

oud_genoeg as (
    select *
    from toewijzing_feiten
    where not verwijderd
        and ingangsdatum between $van and $tot
        and $peildatum - ingangsdatum > 42
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
    ingangsdatum as datum,
    (not gestart)::integer as zonder_start
from oud_genoeg
