-- Zonder start: one row per toewijzing (not removed) with ingangsdatum in the period and
-- more than $termijn_dagen (42, kpis.toml) days before the peildatum. zonder_start = 1 when
-- no standing 305 is linked.
-- Params: $van, $tot, $peildatum, $termijn_dagen.
-- datum: the day that places the unit in the period (a monthly series splits by it).

with

oud_genoeg as (
    select *
    from toewijzing_feiten
    where not verwijderd
        and ingangsdatum between $van and $tot
        and $peildatum - ingangsdatum > $termijn_dagen
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
