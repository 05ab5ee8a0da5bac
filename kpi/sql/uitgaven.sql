-- Uitgaven: one row per booked spending row with boekdatum in the period.
-- Params: $van, $tot.

with

uitgaven_ as (
    select
        row_number() over () as volgnummer,
        gemeente,
        segment,
        aanbieder,
        boekdatum,
        bedrag
    from uitgaven
),

segment_domein as (
    select segment, min(domein) as domein
    from producten
    group by segment
)

select
    concat_ws('|', uitgaven_.gemeente, uitgaven_.segment, uitgaven_.boekdatum, uitgaven_.volgnummer)
        as eenheid,
    null::varchar as client_id,
    uitgaven_.gemeente,
    segment_domein.domein,
    uitgaven_.segment,
    null::varchar as subsegment,
    uitgaven_.aanbieder,
    false as voorlopig,
    date_trunc('month', uitgaven_.boekdatum)::date as maand,
    uitgaven_.bedrag
from uitgaven_
left join segment_domein
    on segment_domein.segment = uitgaven_.segment
where uitgaven_.boekdatum between $van and $tot
