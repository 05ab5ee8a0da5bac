-- Begroting: one row per budget cell (gemeente or the whole region, x segment) of year
-- $jaar. Per segment the gemeente rows are used when there are any, else the region row,
-- so a budget is never counted twice. prognose_maand: the given cumulative prognose for
-- month $maand (null: plan is linear).
-- Params: $jaar, $maand.

with

begroting_ as (
    select
        gemeente,
        segment,
        begroot_bedrag,
        target_clienten,
        target_kosten_per_client,
        maand,
        prognose_cumulatief
    from begroting
    where jaar = $jaar
),

segment_domein as (
    select segment, min(domein) as domein
    from producten
    group by segment
),

cellen as (
    select
        gemeente,
        segment,
        max(begroot_bedrag) as begroot_bedrag,
        max(target_clienten) as target_clienten,
        max(target_kosten_per_client) as target_kosten_per_client,
        max(prognose_cumulatief) filter (where month(maand) = $maand) as prognose_maand,
        max(prognose_cumulatief) filter (where month(maand) = 12) as prognose_december
    from begroting_
    group by gemeente, segment
),

segmenten_per_gemeente as (
    select distinct segment
    from cellen
    where gemeente is not null
),

gekozen as (
    select cellen.*
    from cellen
    left join segmenten_per_gemeente
        on segmenten_per_gemeente.segment = cellen.segment
    where cellen.gemeente is not null
        or segmenten_per_gemeente.segment is null
)

select
    concat_ws('|', coalesce(gekozen.gemeente, 'regio'), gekozen.segment, $jaar) as eenheid,
    null::varchar as client_id,
    gekozen.gemeente,
    segment_domein.domein,
    gekozen.segment,
    null::varchar as subsegment,
    null::varchar as aanbieder,
    false as voorlopig,
    coalesce(gekozen.begroot_bedrag, gekozen.prognose_december) as jaarbudget,
    gekozen.prognose_maand,
    gekozen.target_clienten,
    gekozen.target_kosten_per_client
from gekozen
left join segment_domein
    on segment_domein.segment = gekozen.segment
