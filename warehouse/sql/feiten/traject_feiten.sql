-- Traject_feiten: one row per zorgtraject with what the KPIs read that depends on neither the
-- period nor the peildatum, so that a KPI query only filters and counts:
--   einde               last day of care (einddatum, else the 307 einddatum_zorg)
--   opgegeven_dagen     the opgegeven doorlooptijd of the contract (aanbieder, gemeente,
--                       sub-segment) valid at that end; only for trajecten ended with a 307
--   vorige_zorg_einde   the latest end (open = 9999-12-31) of the client's zorgintervallen in
--                       the same domein that began before this zorgtraject; null: none
--   vervolg_begindatum, vervolg_zwaarte
--                       the first zorgtraject of the client in the same domein that begins
--                       after this one's end (on a tie the lightest)
-- Sorted by segment and aanbieder, so that a query for one provider reads few row groups.
-- The lookups run on narrow rows keyed by rowid; the full rows are read once, at the end
-- (sorting and joining the full rows in every step costs more than joining back once).
with

sleutels as (
    select
        rowid as rij,
        client_id,
        gemeente,
        domein,
        subsegment,
        aanbieder,
        begindatum,
        einddatum_zorg,
        coalesce(einddatum, einddatum_zorg) as einde
    from zorgtrajecten
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

opgegeven as (
    select
        sleutels.rij,
        max(contract_duur.opgegeven_doorlooptijd_dagen) as opgegeven_dagen
    from sleutels
    inner join contract_duur
        on contract_duur.aanbieder = sleutels.aanbieder
        and contract_duur.gemeente = sleutels.gemeente
        and contract_duur.subsegment = sleutels.subsegment
        and sleutels.einde between contract_duur.geldig_van and contract_duur.geldig_tot
    where sleutels.einddatum_zorg is not null
    group by sleutels.rij
),

-- per interval: the latest end of the client's intervals in the domein that began on or
-- before its begindatum (range frame: intervals beginning on the same day count together)
eerdere_zorg as (
    select
        client_id,
        domein,
        begindatum,
        max(coalesce(einddatum, date '9999-12-31')) over (
            partition by client_id, domein
            order by begindatum
            range between unbounded preceding and current row
        ) as einde_tot_nu
    from zorgintervallen
),

beginnen as (
    select
        client_id,
        domein,
        begindatum,
        min(zwaarte) as zwaarte
    from zorgtrajecten
    group by client_id, domein, begindatum
),

met_vorige_zorg as (
    select
        sleutels.rij,
        sleutels.client_id,
        sleutels.domein,
        sleutels.einde,
        eerdere_zorg.einde_tot_nu as vorige_zorg_einde
    from sleutels
    asof left join eerdere_zorg
        on eerdere_zorg.client_id = sleutels.client_id
        and eerdere_zorg.domein = sleutels.domein
        and eerdere_zorg.begindatum <= sleutels.begindatum - 1
),

met_vervolg as (
    select
        met_vorige_zorg.rij,
        met_vorige_zorg.vorige_zorg_einde,
        beginnen.begindatum as vervolg_begindatum,
        beginnen.zwaarte as vervolg_zwaarte
    from met_vorige_zorg
    asof left join beginnen
        on beginnen.client_id = met_vorige_zorg.client_id
        and beginnen.domein = met_vorige_zorg.domein
        and beginnen.begindatum > met_vorige_zorg.einde
),

extra as (
    select
        met_vervolg.*,
        opgegeven.opgegeven_dagen
    from met_vervolg
    left join opgegeven
        on opgegeven.rij = met_vervolg.rij
)

select
    zorgtrajecten.traject_id,
    zorgtrajecten.client_id,
    zorgtrajecten.gemeente,
    zorgtrajecten.domein,
    zorgtrajecten.segment,
    zorgtrajecten.subsegment,
    zorgtrajecten.aanbieder,
    zorgtrajecten.zwaarte,
    zorgtrajecten.begindatum,
    zorgtrajecten.wacht_ingangsdatum,
    zorgtrajecten.einddatum_zorg,
    coalesce(zorgtrajecten.einddatum, zorgtrajecten.einddatum_zorg) as einde,
    zorgtrajecten.reden_groep,
    extra.opgegeven_dagen,
    extra.vorige_zorg_einde,
    extra.vervolg_begindatum,
    extra.vervolg_zwaarte
from zorgtrajecten
inner join extra
    on extra.rij = zorgtrajecten.rowid
order by zorgtrajecten.segment, zorgtrajecten.aanbieder, zorgtrajecten.begindatum
