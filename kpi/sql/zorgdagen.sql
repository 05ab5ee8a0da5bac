-- Zorgdagen: one row per zorginterval (merged per client, gemeente, aanbieder and
-- subsegment, so overlapping toewijzingen count once) with its days in the period.
-- Open intervals run to the peildatum; no day after the peildatum counts.
-- Params: $van, $tot, $peildatum.

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

in_periode as (
    select
        *,
        greatest(begindatum, $van) as deel_van,
        least(einde, $tot) as deel_tot
    from intervallen
)

select
    concat_ws('|', client_id, gemeente, aanbieder, subsegment, begindatum) as eenheid,
    client_id,
    gemeente,
    domein,
    segment,
    subsegment,
    aanbieder,
    false as voorlopig,
    deel_tot - deel_van + 1 as dagen
from in_periode
where deel_tot >= deel_van
