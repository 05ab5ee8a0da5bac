-- Lopend: one row per zorginterval with a zorgdag on the last day of the period, or on
-- the peildatum when that comes first. Open intervals run to the peildatum.
-- Several periods at once (a monthly series): one row per interval and period it counts in,
-- `_deel` the period's number in the lists.
-- enige_rij_client: the interval overlaps no other interval of the client
-- (zorgintervallen.overlapt), so on the day it is the client's only row: counted without a
-- distinct count (aggregatie_sql.ENIGE_RIJ). Unknown (null) counts as not.
-- Params: $perioden_tot (the periods' last days), $peildatum.

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
        least(coalesce(einddatum, $peildatum), $peildatum) as einde,
        not coalesce(overlapt, true) as enige_rij_client
    from zorgintervallen
    -- only intervals that can hold one of the days: the join below gets the running
    -- intervals, not all of them (at land 2.1 M of 10.1 M for one period); tested on the
    -- stored columns, which the scan does faster than a test on einde
    where begindatum <= list_max($perioden_tot::date[])
        and (einddatum is null or einddatum >= least(list_min($perioden_tot::date[]), $peildatum))
),

perioden as (
    select
        unnest(range(len($perioden_tot::date[]))) as _deel,
        unnest($perioden_tot::date[]) as tot
),

teldagen as (
    select
        _deel,
        least(tot, $peildatum::date) as dag
    from perioden
)

select
    concat_ws(
        '|',
        intervallen.client_id,
        intervallen.gemeente,
        intervallen.aanbieder,
        intervallen.subsegment,
        intervallen.begindatum
    ) as eenheid,
    intervallen.client_id,
    intervallen.client_nr,
    intervallen.gemeente,
    intervallen.domein,
    intervallen.segment,
    intervallen.subsegment,
    intervallen.aanbieder,
    false as voorlopig,
    intervallen.enige_rij_client,
    teldagen._deel
from intervallen
inner join teldagen
    on intervallen.begindatum <= teldagen.dag
    and intervallen.einde >= teldagen.dag
