-- Afschaling: one row per zorgtraject that ended with a 307 in the period.
-- vervolg = 1 when the client begins a new zorgtraject in the same domein in
-- (end, end + 90]; lichter = 1 when the first such traject (earliest begin; on a tie the
-- lightest) has a lower zwaarte. Voorlopig while end + 90 lies after the peildatum.
-- Params: $van, $tot, $peildatum.

with

trajecten as (
    select
        traject_id,
        client_id,
        gemeente,
        domein,
        segment,
        subsegment,
        aanbieder,
        zwaarte,
        begindatum,
        coalesce(einddatum, einddatum_zorg) as einde,
        einddatum_zorg
    from zorgtrajecten
),

beeindigd as (
    select *
    from trajecten
    where einddatum_zorg is not null
        and einde between $van and $tot
),

vervolgen as (
    select
        beeindigd.traject_id,
        volgend.zwaarte as volgende_zwaarte,
        row_number() over (
            partition by beeindigd.traject_id
            order by volgend.begindatum, volgend.zwaarte
        ) as volgorde
    from beeindigd
    inner join trajecten as volgend
        on volgend.client_id = beeindigd.client_id
        and volgend.domein = beeindigd.domein
        and volgend.begindatum > beeindigd.einde
        and volgend.begindatum <= beeindigd.einde + 90
),

eerste_vervolg as (
    select traject_id, volgende_zwaarte
    from vervolgen
    where volgorde = 1
)

select
    beeindigd.traject_id as eenheid,
    beeindigd.client_id,
    beeindigd.gemeente,
    beeindigd.domein,
    beeindigd.segment,
    beeindigd.subsegment,
    beeindigd.aanbieder,
    beeindigd.einde + 90 > $peildatum as voorlopig,
    (eerste_vervolg.traject_id is not null)::integer as vervolg,
    coalesce(eerste_vervolg.volgende_zwaarte < beeindigd.zwaarte, false)::integer as lichter
from beeindigd
left join eerste_vervolg
    on eerste_vervolg.traject_id = beeindigd.traject_id
