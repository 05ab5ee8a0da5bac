-- Melding_feiten: one row per standing start (305) or stop (307) product line with the day it
-- reports (begindatum of a 305, einddatum_zorg of a 307) and its dimensions: from the linked
-- toewijzing, else from the product code (the product's latest validity).
with

toewijzing_dimensies as (
    select
        gemeente,
        toewijzingnummer,
        domein,
        segment,
        subsegment
    from toewijzingen
),

product_dimensies as (
    select
        product_code,
        arg_max(domein, coalesce(geldig_van, date '1900-01-01')) as domein,
        arg_max(segment, coalesce(geldig_van, date '1900-01-01')) as segment,
        arg_max(subsegment, coalesce(geldig_van, date '1900-01-01')) as subsegment
    from producten
    group by product_code
)

select
    start_stop.regel_id,
    start_stop.berichtsoort,
    start_stop.client_id,
    start_stop.gemeente,
    coalesce(toewijzing_dimensies.domein, product_dimensies.domein) as domein,
    coalesce(toewijzing_dimensies.segment, product_dimensies.segment) as segment,
    coalesce(toewijzing_dimensies.subsegment, product_dimensies.subsegment) as subsegment,
    start_stop.aanbieder,
    case
        when start_stop.berichtsoort = '305' then start_stop.begindatum
        else start_stop.einddatum_zorg
    end as zorgdatum,
    start_stop.dagtekening
from start_stop
left join toewijzing_dimensies
    on toewijzing_dimensies.gemeente = start_stop.gemeente
    and toewijzing_dimensies.toewijzingnummer = start_stop.toewijzingnummer
left join product_dimensies
    on product_dimensies.product_code = start_stop.product_code
order by segment, aanbieder, zorgdatum
