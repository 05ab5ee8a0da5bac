-- Verzoek_feiten: one row per 315 product line (verzoek om toewijzing) with the date of the
-- answer (301 or 319) it got; null: none. Answers are matched to requests as the data
-- contract says (referentie_aanbieder):
-- * an answer with a referentie_aanbieder answers the requests of the same gemeente and
--   aanbieder with that referentie dated on or before it (the first such answer counts);
-- * an answer without one (but with a client) answers the earliest unanswered request of the
--   same client, gemeente and aanbieder, and product_code where both give one, dated on or
--   before it. Unanswered when this answer is taken: not taken by an earlier answer without
--   referentie, and not answered by one with its referentie dated on or before this answer.
--   Answers are taken in order of dagtekening (then regel_id), requests likewise, so two
--   requests of one client answered twice are answered in order.
-- The requests are the 315 product lines and the 317 messages (one request each: its lines
-- share one referentie); a 317 is no unit of the KPI, but an answer may belong to it.
-- Segment and sub-segment from the product.
with recursive

verzoeken as (
    select
        regel_id as verzoek_id,
        true as is_315,
        gemeente,
        aanbieder,
        client_id,
        domein,
        product_code,
        referentie_aanbieder,
        dagtekening
    from berichten
    where berichtsoort = '315'
    union all
    select
        min(regel_id) as verzoek_id,
        false as is_315,
        gemeente,
        aanbieder,
        client_id,
        domein,
        -- the message's product where all its lines give the same one
        case
            when count(distinct product_code) = 1 and count(product_code) = count(*)
                then min(product_code)
        end as product_code,
        referentie_aanbieder,
        dagtekening
    from berichten
    where berichtsoort = '317'
    group by afzender, bericht_id, gemeente, aanbieder, client_id, domein,
        referentie_aanbieder, dagtekening
),

-- only the dates of answers whose referentie occurs among the requests matter: the asof join
-- below then sorts far fewer rows (a semi join and a distinct are hash operations)
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

-- each request with its first answer by referentie (an asof join takes the nearest match)
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

antwoorden_zonder_referentie as (
    select
        regel_id as antwoord_id,
        gemeente,
        aanbieder,
        client_id,
        product_code,
        dagtekening
    from berichten
    where berichtsoort in ('301', '319')
        and referentie_aanbieder is null
        and client_id is not null
),

-- every request an answer without referentie could answer, but for those taken before it
kandidaten as (
    select
        antwoorden_zonder_referentie.antwoord_id,
        antwoorden_zonder_referentie.dagtekening as antwoord_datum,
        met_referentie.verzoek_id,
        met_referentie.dagtekening as verzoek_datum,
        dense_rank() over (
            order by met_referentie.gemeente, met_referentie.aanbieder, met_referentie.client_id
        ) as sleutel
    from antwoorden_zonder_referentie
    inner join met_referentie
        on met_referentie.gemeente = antwoorden_zonder_referentie.gemeente
        and met_referentie.aanbieder = antwoorden_zonder_referentie.aanbieder
        and met_referentie.client_id = antwoorden_zonder_referentie.client_id
        and met_referentie.dagtekening <= antwoorden_zonder_referentie.dagtekening
        and (
            met_referentie.product_code is null
            or antwoorden_zonder_referentie.product_code is null
            or met_referentie.product_code = antwoorden_zonder_referentie.product_code
        )
        and (
            met_referentie.antwoord_referentie is null
            or met_referentie.antwoord_referentie > antwoorden_zonder_referentie.dagtekening
        )
),

-- the answers with at least one candidate, numbered per client, gemeente and aanbieder
stappen as (
    select
        sleutel,
        antwoord_id,
        antwoord_datum,
        row_number() over (partition by sleutel order by antwoord_datum, antwoord_id) as stap
    from (select distinct sleutel, antwoord_id, antwoord_datum from kandidaten)
),

-- step n takes the n-th answer of every key at once: it answers the earliest candidate not
-- yet taken (genomen: the requests taken so far), or nothing
koppeling (sleutel, stap, genomen, verzoek_id, antwoord_datum) as (
    select distinct
        sleutel,
        0::bigint,
        []::bigint [],
        null::bigint,
        null::date
    from stappen
    union all
    select
        koppeling.sleutel,
        koppeling.stap + 1,
        case
            when min(kandidaten.verzoek_id) is null then any_value(koppeling.genomen)
            else list_append(
                any_value(koppeling.genomen),
                arg_min(
                    kandidaten.verzoek_id, (kandidaten.verzoek_datum, kandidaten.verzoek_id)
                )
            )
        end,
        arg_min(kandidaten.verzoek_id, (kandidaten.verzoek_datum, kandidaten.verzoek_id)),
        any_value(stappen.antwoord_datum)
    from koppeling
    inner join stappen
        on stappen.sleutel = koppeling.sleutel
        and stappen.stap = koppeling.stap + 1
    left join kandidaten
        on kandidaten.antwoord_id = stappen.antwoord_id
        and not list_contains(koppeling.genomen, kandidaten.verzoek_id)
    group by koppeling.sleutel, koppeling.stap
),

antwoord_zonder_referentie as (
    select
        verzoek_id,
        antwoord_datum
    from koppeling
    where verzoek_id is not null
),

product_dimensies as (
    select
        product_code,
        arg_max(segment, coalesce(geldig_van, date '1900-01-01')) as segment,
        arg_max(subsegment, coalesce(geldig_van, date '1900-01-01')) as subsegment
    from producten
    group by product_code
)

select
    met_referentie.verzoek_id as regel_id,
    met_referentie.client_id,
    met_referentie.gemeente,
    met_referentie.domein,
    product_dimensies.segment,
    product_dimensies.subsegment,
    met_referentie.aanbieder,
    met_referentie.dagtekening,
    -- least() skips a null: the earlier of the two answers, or the only one
    least(met_referentie.antwoord_referentie, antwoord_zonder_referentie.antwoord_datum)
        as antwoord_datum
from met_referentie
left join antwoord_zonder_referentie
    on antwoord_zonder_referentie.verzoek_id = met_referentie.verzoek_id
left join product_dimensies
    on product_dimensies.product_code = met_referentie.product_code
where met_referentie.is_315
order by product_dimensies.segment, met_referentie.aanbieder, met_referentie.dagtekening
