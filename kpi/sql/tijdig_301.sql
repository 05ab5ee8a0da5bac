-- Tijdig 301: one row per 315 product line (verzoek om toewijzing) with dagtekening in
-- the period. Answered by the first 301 or 319 from the same gemeente to the same
-- aanbieder with the same referentie_aanbieder (a 301 without referentie: same client and
-- product code) dated on or after the 315. tijdig = 1 when that answer is dated on or
-- before the 5th werkdag after the 315. Voorlopig: unanswered while that deadline is not
-- yet past the peildatum.
-- Params: $van, $tot, $peildatum, $kalender_datum, $kalender_uiterlijk.

with

verzoeken as (
    select
        regel_id,
        gemeente,
        aanbieder,
        client_id,
        domein,
        product_code,
        referentie_aanbieder,
        dagtekening
    from berichten
    where berichtsoort = '315'
        and dagtekening between $van and $tot
),

antwoorden as (
    select
        berichtsoort,
        gemeente,
        aanbieder,
        client_id,
        product_code,
        referentie_aanbieder,
        dagtekening
    from berichten
    where berichtsoort in ('301', '319')
),

product_dimensies as (
    select
        product_code,
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

eerste_antwoord as (
    select
        verzoeken.regel_id,
        min(antwoorden.dagtekening) as antwoord_datum
    from verzoeken
    inner join antwoorden
        on antwoorden.gemeente = verzoeken.gemeente
        and antwoorden.aanbieder = verzoeken.aanbieder
        and antwoorden.dagtekening >= verzoeken.dagtekening
        and (
            antwoorden.referentie_aanbieder = verzoeken.referentie_aanbieder
            or (
                antwoorden.berichtsoort = '301'
                and antwoorden.referentie_aanbieder is null
                and antwoorden.client_id = verzoeken.client_id
                and antwoorden.product_code = verzoeken.product_code
            )
        )
    group by verzoeken.regel_id
)

select
    verzoeken.regel_id::varchar as eenheid,
    verzoeken.client_id,
    verzoeken.gemeente,
    verzoeken.domein,
    product_dimensies.segment,
    product_dimensies.subsegment,
    verzoeken.aanbieder,
    eerste_antwoord.antwoord_datum is null and kalender.uiterlijk >= $peildatum as voorlopig,
    coalesce(eerste_antwoord.antwoord_datum <= kalender.uiterlijk, false)::integer as tijdig
from verzoeken
inner join kalender
    on kalender.datum = verzoeken.dagtekening
left join eerste_antwoord
    on eerste_antwoord.regel_id = verzoeken.regel_id
left join product_dimensies
    on product_dimensies.product_code = verzoeken.product_code
