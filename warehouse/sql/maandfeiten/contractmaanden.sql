-- Contractmaanden: one row per contract x month piece of the period within the contract's
-- validity. zorgdagen: care days of the zorgintervallen of the same aanbieder, gemeente
-- and subsegment in the piece, up to the peildatum; plekdagen: plekken x days of the piece
-- up to the peildatum; zorgkosten: zorgdagen x plekprijs / 365, rounded half up to cents.
-- Params: $van, $tot, $peildatum.

with

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

intervallen as (
    select
        gemeente,
        aanbieder,
        subsegment,
        begindatum,
        least(coalesce(einddatum, $peildatum), $peildatum) as einde
    from zorgintervallen
    where begindatum <= $peildatum  -- care that begins after the peildatum has no day yet
        -- only intervals that can overlap the period (the join below needs no others)
        and begindatum <= $tot
        and (einddatum is null or einddatum >= $van)
),

maanden as (
    select maand::date as maand
    from generate_series(
        date_trunc('month', $van::date)::date, $tot::date, interval 1 month
    ) as reeks(maand)
),

stukken as (
    select
        contracten_.*,
        maanden.maand,
        greatest(maanden.maand, $van, contracten_.geldig_van) as stuk_van,
        least(last_day(maanden.maand), $tot, contracten_.geldig_tot) as stuk_tot
    from contracten_
    cross join maanden
),

geldige_stukken as (
    select *
    from stukken
    where stuk_tot >= stuk_van
),

zorg as (
    select
        geldige_stukken.aanbieder,
        geldige_stukken.gemeente,
        geldige_stukken.subsegment,
        geldige_stukken.geldig_van,
        geldige_stukken.maand,
        sum(
            least(intervallen.einde, geldige_stukken.stuk_tot)
            - greatest(intervallen.begindatum, geldige_stukken.stuk_van) + 1
        ) as zorgdagen
    from geldige_stukken
    inner join intervallen
        on intervallen.aanbieder = geldige_stukken.aanbieder
        and intervallen.gemeente = geldige_stukken.gemeente
        and intervallen.subsegment = geldige_stukken.subsegment
        and intervallen.begindatum <= geldige_stukken.stuk_tot
        and intervallen.einde >= geldige_stukken.stuk_van
    group by all
),

met_zorg as (
    select
        geldige_stukken.*,
        coalesce(zorg.zorgdagen, 0) as zorgdagen,
        greatest(least(geldige_stukken.stuk_tot, $peildatum) - geldige_stukken.stuk_van + 1, 0)
            as dagen_tot_peildatum
    from geldige_stukken
    left join zorg
        using (aanbieder, gemeente, subsegment, geldig_van, maand)
)

select
    concat_ws('|', aanbieder, gemeente, subsegment, geldig_van, maand) as eenheid,
    null::varchar as client_id,
    gemeente,
    domein,
    segment,
    subsegment,
    aanbieder,
    false as voorlopig,
    maand,
    zorgdagen,
    -- exact decimal (plekken to 10 decimals), so that sums do not depend on the row order
    plekken::decimal(38, 10) * dagen_tot_peildatum as plekdagen,
    -- exact integer cents, half up: zorgdagen * plekprijs * 100 / 365
    ((2 * (zorgdagen * plekprijs * 100)::hugeint + 365) // 730)::decimal(38, 0) * 0.01
        as zorgkosten
from met_zorg
