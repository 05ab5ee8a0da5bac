-- Verzoek_feiten: one row per 315 product line (verzoek om toewijzing) with the date of its
-- first answer: the first 301 or 319 from the same gemeente to the same aanbieder with the same
-- referentie_aanbieder, or a 301 without referentie for the same client and product code,
-- dated on or after the 315 (null: never answered). Segment and sub-segment from the product.
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
),

-- only the dates of answers whose key occurs among the verzoeken matter: the asof joins below
-- then sort far fewer rows (a semi join and a distinct are hash operations)
antwoorden_op_referentie as (
    select distinct
        berichten.gemeente,
        berichten.aanbieder,
        berichten.referentie_aanbieder,
        berichten.dagtekening
    from berichten
    semi join verzoeken
        on verzoeken.gemeente = berichten.gemeente
        and verzoeken.aanbieder = berichten.aanbieder
        and verzoeken.referentie_aanbieder = berichten.referentie_aanbieder
    where berichten.berichtsoort in ('301', '319')
),

antwoorden_op_client as (
    select distinct
        berichten.gemeente,
        berichten.aanbieder,
        berichten.client_id,
        berichten.product_code,
        berichten.dagtekening
    from berichten
    semi join verzoeken
        on verzoeken.gemeente = berichten.gemeente
        and verzoeken.aanbieder = berichten.aanbieder
        and verzoeken.client_id = berichten.client_id
        and verzoeken.product_code = berichten.product_code
    where berichten.berichtsoort = '301' and berichten.referentie_aanbieder is null
),

product_dimensies as (
    select
        product_code,
        arg_max(segment, coalesce(geldig_van, date '1900-01-01')) as segment,
        arg_max(subsegment, coalesce(geldig_van, date '1900-01-01')) as subsegment
    from producten
    group by product_code
),

-- the nearest answer on or after the 315 by each route (an asof join takes the first match)
met_referentie as (
    select
        verzoeken.*,
        antwoorden_op_referentie.dagtekening as antwoord_referentie
    from verzoeken
    asof left join antwoorden_op_referentie
        on antwoorden_op_referentie.gemeente = verzoeken.gemeente
        and antwoorden_op_referentie.aanbieder = verzoeken.aanbieder
        and antwoorden_op_referentie.referentie_aanbieder = verzoeken.referentie_aanbieder
        and antwoorden_op_referentie.dagtekening >= verzoeken.dagtekening
),

met_client as (
    select
        met_referentie.*,
        antwoorden_op_client.dagtekening as antwoord_client
    from met_referentie
    asof left join antwoorden_op_client
        on antwoorden_op_client.gemeente = met_referentie.gemeente
        and antwoorden_op_client.aanbieder = met_referentie.aanbieder
        and antwoorden_op_client.client_id = met_referentie.client_id
        and antwoorden_op_client.product_code = met_referentie.product_code
        and antwoorden_op_client.dagtekening >= met_referentie.dagtekening
)

select
    met_client.regel_id,
    met_client.client_id,
    met_client.gemeente,
    met_client.domein,
    product_dimensies.segment,
    product_dimensies.subsegment,
    met_client.aanbieder,
    met_client.dagtekening,
    -- least() skips a null: the earlier of the two answers, or the only one
    least(met_client.antwoord_referentie, met_client.antwoord_client) as antwoord_datum
from met_client
left join product_dimensies
    on product_dimensies.product_code = met_client.product_code
order by product_dimensies.segment, met_client.aanbieder, met_client.dagtekening
