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
        wacht_ingangsdatum,
        einddatum_zorg,
        coalesce(einddatum, einddatum_zorg) as einde,
        reden_groep
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
        trajecten.traject_id,
        max(contract_duur.opgegeven_doorlooptijd_dagen) as opgegeven_dagen
    from trajecten
    inner join contract_duur
        on contract_duur.aanbieder = trajecten.aanbieder
        and contract_duur.gemeente = trajecten.gemeente
        and contract_duur.subsegment = trajecten.subsegment
        and trajecten.einde between contract_duur.geldig_van and contract_duur.geldig_tot
    where trajecten.einddatum_zorg is not null
    group by trajecten.traject_id
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
        trajecten.*,
        eerdere_zorg.einde_tot_nu as vorige_zorg_einde
    from trajecten
    asof left join eerdere_zorg
        on eerdere_zorg.client_id = trajecten.client_id
        and eerdere_zorg.domein = trajecten.domein
        and eerdere_zorg.begindatum <= trajecten.begindatum - 1
),

met_vervolg as (
    select
        met_vorige_zorg.*,
        beginnen.begindatum as vervolg_begindatum,
        beginnen.zwaarte as vervolg_zwaarte
    from met_vorige_zorg
    asof left join beginnen
        on beginnen.client_id = met_vorige_zorg.client_id
        and beginnen.domein = met_vorige_zorg.domein
        and beginnen.begindatum > met_vorige_zorg.einde
)

select
    met_vervolg.traject_id,
    met_vervolg.client_id,
    met_vervolg.gemeente,
    met_vervolg.domein,
    met_vervolg.segment,
    met_vervolg.subsegment,
    met_vervolg.aanbieder,
    met_vervolg.zwaarte,
    met_vervolg.begindatum,
    met_vervolg.wacht_ingangsdatum,
    met_vervolg.einddatum_zorg,
    met_vervolg.einde,
    met_vervolg.reden_groep,
    opgegeven.opgegeven_dagen,
    met_vervolg.vorige_zorg_einde,
    met_vervolg.vervolg_begindatum,
    met_vervolg.vervolg_zwaarte
from met_vervolg
left join opgegeven
    on opgegeven.traject_id = met_vervolg.traject_id
order by met_vervolg.segment, met_vervolg.aanbieder, met_vervolg.begindatum
