-- Voorschot: one row per aanbieder x gemeente x month piece of the period. Taken from
-- voorschotten where that month has a row (pro rata by the days of the month in the
-- period); otherwise derived per contract as plekken x plekprijs x days / 365.
-- Amounts are exact cents, rounded half up. Rows from voorschotten carry segment and
-- subsegment only when the pair has a single contracted one.
-- Params: $van, $tot.

with

voorschotten_ as (
    select aanbieder, gemeente, maand, bedrag
    from voorschotten
),

contracten_ as (
    select
        aanbieder,
        gemeente,
        domein,
        segment,
        subsegment,
        geldig_van,
        geldig_tot,
        plekken,
        plekprijs
    from contracten
),

paar_dimensies as (
    select
        aanbieder,
        gemeente,
        case when count(distinct domein) = 1 then any_value(domein) end as domein,
        case when count(distinct segment) = 1 then any_value(segment) end as segment,
        case when count(distinct subsegment) = 1 then any_value(subsegment) end as subsegment
    from contracten_
    group by aanbieder, gemeente
),

maanden as (
    select maand::date as maand
    from generate_series(
        date_trunc('month', $van::date)::date, $tot::date, interval 1 month
    ) as reeks(maand)
),

betaald as (
    select
        voorschotten_.aanbieder,
        voorschotten_.gemeente,
        voorschotten_.maand,
        voorschotten_.bedrag,
        least(last_day(voorschotten_.maand), $tot) - greatest(voorschotten_.maand, $van) + 1
            as dagen,
        last_day(voorschotten_.maand) - voorschotten_.maand + 1 as maanddagen
    from voorschotten_
    where voorschotten_.maand <= $tot
        and last_day(voorschotten_.maand) >= $van
),

uit_voorschotten as (
    select
        concat_ws('|', betaald.aanbieder, betaald.gemeente, betaald.maand) as eenheid,
        betaald.gemeente,
        paar_dimensies.domein,
        paar_dimensies.segment,
        paar_dimensies.subsegment,
        betaald.aanbieder,
        betaald.maand,
        -- exact integer cents, half up: bedrag * dagen / maanddagen
        (
            (2 * (betaald.bedrag * 100 * betaald.dagen)::hugeint + betaald.maanddagen)
            // (2 * betaald.maanddagen)
        )::decimal(38, 0) * 0.01 as bedrag
    from betaald
    left join paar_dimensies
        on paar_dimensies.aanbieder = betaald.aanbieder
        and paar_dimensies.gemeente = betaald.gemeente
),

contract_stukken as (
    select
        contracten_.*,
        maanden.maand,
        least(last_day(maanden.maand), $tot, contracten_.geldig_tot)
            - greatest(maanden.maand, $van, contracten_.geldig_van) + 1 as dagen
    from contracten_
    cross join maanden
),

uit_contracten as (
    select
        concat_ws(
            '|', contract_stukken.aanbieder, contract_stukken.gemeente,
            contract_stukken.subsegment, contract_stukken.geldig_van, contract_stukken.maand
        ) as eenheid,
        contract_stukken.gemeente,
        contract_stukken.domein,
        contract_stukken.segment,
        contract_stukken.subsegment,
        contract_stukken.aanbieder,
        contract_stukken.maand,
        -- exact integer cents, half up: plekken * plekprijs * dagen / 365
        (
            (
                2 * (
                    contract_stukken.plekken::decimal(18, 4) * contract_stukken.plekprijs
                    * contract_stukken.dagen * 1000000
                )::hugeint
                + 3650000
            ) // 7300000
        )::decimal(38, 0) * 0.01 as bedrag
    from contract_stukken
    anti join voorschotten_
        on voorschotten_.aanbieder = contract_stukken.aanbieder
        and voorschotten_.gemeente = contract_stukken.gemeente
        and voorschotten_.maand = contract_stukken.maand
    where contract_stukken.dagen > 0
),

alle as (
    select * from uit_voorschotten
    union all
    select * from uit_contracten
)

select
    eenheid,
    null::varchar as client_id,
    gemeente,
    domein,
    segment,
    subsegment,
    aanbieder,
    false as voorlopig,
    maand,
    bedrag
from alle
