-- Uitstroom: one row per zorgtraject that ended with a 307 in the period.
-- End = last day of care (einddatum). Carries reden (volgens plan), the duration in
-- days (end - begin + 1) and the opgegeven doorlooptijd of the contract valid at the end.
-- Params: $van, $tot.
-- datum: the day that places the unit in the period (a monthly series splits by it).

with

beeindigd as (
    select *
    from traject_feiten
    where einddatum_zorg is not null
        and einde between $van and $tot
)

select
    traject_id as eenheid,
    client_id,
    gemeente,
    domein,
    segment,
    subsegment,
    aanbieder,
    false as voorlopig,
    einde as datum,
    (reden_groep = 'volgens_plan')::integer as volgens_plan,
    (einde - begindatum + 1)::integer as duur,  -- days: INTEGER (aggregatie_sql._mediaan_direct)
    opgegeven_dagen
from beeindigd
