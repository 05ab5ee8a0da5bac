-- Lopend: one row per zorginterval with a zorgdag on the last day of the period, or on
-- the peildatum when that comes first. Open intervals run to the peildatum.
-- Params: $tot, $peildatum.

with

intervallen as (
    select
        client_id,
        gemeente,
        domein,
        segment,
        subsegment,
        aanbieder,
        begindatum,
        least(coalesce(einddatum, $peildatum), $peildatum) as einde
    from zorgintervallen
),

teldag as (
    select least($tot::date, $peildatum::date) as dag
)

select
    concat_ws('|', client_id, gemeente, aanbieder, subsegment, begindatum) as eenheid,
    intervallen.client_id,
    intervallen.gemeente,
    intervallen.domein,
    intervallen.segment,
    intervallen.subsegment,
    intervallen.aanbieder,
    false as voorlopig
from intervallen
cross join teldag
where intervallen.begindatum <= teldag.dag
    and intervallen.einde >= teldag.dag
