-- Tijdig 305/307: one row per standing start (305) or stop (307) product line whose
-- begindatum (305) or einddatum_zorg (307) lies in the period. tijdig = 1 when the
-- dagtekening is on or before the 5th werkdag after that date.
-- Dimensions come from the linked toewijzing, else from the product code.
-- Params: $berichtsoort, $van, $tot, $kalender_datum, $kalender_uiterlijk
-- (the days of the period with their deadline: 5 werkdagen later, Dutch holidays excluded).

with

regels as (
    select
        regel_id,
        berichtsoort,
        gemeente,
        toewijzingnummer,
        client_id,
        aanbieder,
        product_code,
        case when berichtsoort = '305' then begindatum else einddatum_zorg end as zorgdatum,
        dagtekening
    from start_stop
    where berichtsoort = $berichtsoort
),

toewijzing_dimensies as (
    select gemeente, toewijzingnummer, domein, segment, subsegment
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
),

kalender as (
    select
        unnest($kalender_datum::date[]) as datum,
        unnest($kalender_uiterlijk::date[]) as uiterlijk
),

in_periode as (
    select *
    from regels
    where zorgdatum between $van and $tot
)

select
    in_periode.regel_id::varchar as eenheid,
    in_periode.client_id,
    in_periode.gemeente,
    coalesce(toewijzing_dimensies.domein, product_dimensies.domein) as domein,
    coalesce(toewijzing_dimensies.segment, product_dimensies.segment) as segment,
    coalesce(toewijzing_dimensies.subsegment, product_dimensies.subsegment) as subsegment,
    in_periode.aanbieder,
    false as voorlopig,
    (in_periode.dagtekening <= kalender.uiterlijk)::integer as tijdig
from in_periode
inner join kalender
    on kalender.datum = in_periode.zorgdatum
left join toewijzing_dimensies
    on toewijzing_dimensies.gemeente = in_periode.gemeente
    and toewijzing_dimensies.toewijzingnummer = in_periode.toewijzingnummer
left join product_dimensies
    on product_dimensies.product_code = in_periode.product_code
