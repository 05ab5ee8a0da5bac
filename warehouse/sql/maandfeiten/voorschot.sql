-- Voorschot: one row per aanbieder x gemeente x month piece of the period. Taken from
-- voorschotten where that month has a row (pro rata by the days of the month in the
-- period); otherwise derived per contract as plekken x plekprijs x days / 365.
-- A voorschot is paid per aanbieder and gemeente; it is allocated over the contracts (sub-
-- segments) of that pair valid in the month, pro rata their contract value (plekken x
-- plekprijs), in whole cents by largest remainder so that the parts add up to the payment
-- exactly. Without a valid contract the payment keeps no segment or sub-segment.
-- Amounts are exact cents, rounded half up. Params: $van, $tot.

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

betaald_centen as (
    select
        betaald.*,
        -- exact integer cents, half up: bedrag * dagen / maanddagen
        (2 * (betaald.bedrag * 100 * betaald.dagen)::hugeint + betaald.maanddagen)
        // (2 * betaald.maanddagen) as centen
    from betaald
),

contractwaarde as (
    select
        betaald_centen.aanbieder,
        betaald_centen.gemeente,
        betaald_centen.maand,
        contracten_.domein,
        contracten_.segment,
        contracten_.subsegment,
        contracten_.geldig_van,
        (contracten_.plekken::decimal(18, 4) * contracten_.plekprijs * 10000)::hugeint as gewicht
    from betaald_centen
    inner join contracten_
        on contracten_.aanbieder = betaald_centen.aanbieder
        and contracten_.gemeente = betaald_centen.gemeente
        and contracten_.geldig_van <= last_day(betaald_centen.maand)
        and contracten_.geldig_tot >= betaald_centen.maand
),

verdeling as (
    select
        betaald_centen.aanbieder,
        betaald_centen.gemeente,
        betaald_centen.maand,
        betaald_centen.centen,
        contractwaarde.domein,
        contractwaarde.segment,
        contractwaarde.subsegment,
        contractwaarde.geldig_van,
        contractwaarde.gewicht,
        sum(contractwaarde.gewicht) over paar as totaal_gewicht
    from betaald_centen
    left join contractwaarde
        on contractwaarde.aanbieder = betaald_centen.aanbieder
        and contractwaarde.gemeente = betaald_centen.gemeente
        and contractwaarde.maand = betaald_centen.maand
    window paar as (
        partition by betaald_centen.aanbieder, betaald_centen.gemeente, betaald_centen.maand
    )
),

delen as (
    select
        *,
        case
            when coalesce(totaal_gewicht, 0) = 0 then centen
            else (centen * gewicht) // totaal_gewicht
        end as basis,
        case
            when coalesce(totaal_gewicht, 0) = 0 then 0
            else (centen * gewicht) % totaal_gewicht
        end as rest
    from verdeling
),

met_rest as (
    select
        *,
        centen - sum(basis) over paar as over,
        row_number() over (
            partition by aanbieder, gemeente, maand
            order by rest desc, subsegment, geldig_van
        ) as rang
    from delen
    window paar as (partition by aanbieder, gemeente, maand)
),

uit_voorschotten as (
    select
        concat_ws('|', aanbieder, gemeente, subsegment, geldig_van, maand) as eenheid,
        gemeente,
        domein,
        segment,
        subsegment,
        aanbieder,
        maand,
        -- largest remainder: the cents left over go one each to the largest remainders
        (basis + case when rang <= over then 1 else 0 end)::decimal(38, 0) * 0.01 as bedrag
    from met_rest
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
