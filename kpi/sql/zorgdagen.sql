-- Zorgdagen: one row per zorginterval (merged per client, gemeente, aanbieder and
-- subsegment, so overlapping toewijzingen count once) with its days in the period.
-- Open intervals run to the peildatum; no day after the peildatum counts.
-- Several periods at once (a monthly series): one row per interval and period it has days
-- in, `_deel` the period's number in the lists.
-- Params: $perioden_van, $perioden_tot, $peildatum.

with

intervallen as (
    select
        client_id,
        client_nr,
        gemeente,
        domein,
        segment,
        subsegment,
        aanbieder,
        begindatum,
        least(coalesce(einddatum, $peildatum), $peildatum) as einde
    from zorgintervallen
    -- only intervals that can overlap one of the periods: the join below gets those, not
    -- all intervals
    where begindatum <= list_max($perioden_tot::date[])
        and (einddatum is null or einddatum >= list_min($perioden_van::date[]))
),

perioden as (
    select
        unnest(range(len($perioden_van::date[]))) as _deel,
        unnest($perioden_van::date[]) as van,
        unnest($perioden_tot::date[]) as tot
),

in_periode as (
    select
        intervallen.*,
        perioden._deel,
        greatest(intervallen.begindatum, perioden.van) as deel_van,
        least(intervallen.einde, perioden.tot) as deel_tot
    from intervallen
    inner join perioden
        on intervallen.begindatum <= perioden.tot
        and intervallen.einde >= perioden.van
)

select
    concat_ws('|', client_id, gemeente, aanbieder, subsegment, begindatum) as eenheid,
    client_id,
    client_nr,
    gemeente,
    domein,
    segment,
    subsegment,
    aanbieder,
    false as voorlopig,
    deel_tot - deel_van + 1 as dagen,
    _deel
from in_periode
where deel_tot >= deel_van
