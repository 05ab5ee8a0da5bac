-- Lopend: one row per zorginterval with a zorgdag on the last day of the period, or on
-- the peildatum when that comes first. Open intervals run to the peildatum.
-- Several periods at once (a monthly series): one row per interval and period it counts in,
-- `_deel` the period's number in the lists.
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
        least(coalesce(einddatum, $peildatum), $peildatum) as einde
    from zorgintervallen
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
    teldagen._deel
from intervallen
inner join teldagen
    on intervallen.begindatum <= teldagen.dag
    and intervallen.einde >= teldagen.dag
