-- Uitstroom: one row per zorgtraject that ended with a 307 in the period.
-- End = last day of care (einddatum). Carries reden (volgens plan), the duration in
-- days (end - begin + 1) and the opgegeven doorlooptijd of the contract valid at the end.
-- Params: $van, $tot.

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
        begindatum,
        coalesce(einddatum, einddatum_zorg) as einde,
        reden_groep
    from zorgtrajecten
    where einddatum_zorg is not null
),

contract_duur as (
    select
        aanbieder,
        gemeente,
        subsegment,
        geldig_van,
        geldig_tot,
        opgegeven_doorlooptijd_dagen
    from contracten
    where opgegeven_doorlooptijd_dagen is not null
),

beeindigd as (
    select *
    from trajecten
    where einde between $van and $tot
),

opgegeven as (
    select
        beeindigd.traject_id,
        max(contract_duur.opgegeven_doorlooptijd_dagen) as opgegeven_dagen
    from beeindigd
    inner join contract_duur
        on contract_duur.aanbieder = beeindigd.aanbieder
        and contract_duur.gemeente = beeindigd.gemeente
        and contract_duur.subsegment = beeindigd.subsegment
        and beeindigd.einde between contract_duur.geldig_van and contract_duur.geldig_tot
    group by beeindigd.traject_id
)

select
    beeindigd.traject_id as eenheid,
    beeindigd.client_id,
    beeindigd.gemeente,
    beeindigd.domein,
    beeindigd.segment,
    beeindigd.subsegment,
    beeindigd.aanbieder,
    false as voorlopig,
    (beeindigd.reden_groep = 'volgens_plan')::integer as volgens_plan,
    beeindigd.einde - beeindigd.begindatum + 1 as duur,
    opgegeven.opgegeven_dagen
from beeindigd
left join opgegeven
    on opgegeven.traject_id = beeindigd.traject_id
