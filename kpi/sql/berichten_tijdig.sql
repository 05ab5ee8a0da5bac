-- Tijdig 305/307: one row per standing start (305) or stop (307) product line whose
-- begindatum (305) or einddatum_zorg (307) lies in the period. tijdig = 1 when the
-- dagtekening is on or before the 5th werkdag after that date.
-- Dimensions come from the linked toewijzing, else from the product code (melding_feiten).
-- Params: $berichtsoort, $van, $tot, $kalender_datum, $kalender_uiterlijk
-- (the days of the period with their deadline: 5 werkdagen later, Dutch holidays excluded).
-- datum: the day that places the unit in the period (a monthly series splits by it).

with

kalender as (
    select
        unnest($kalender_datum::date[]) as datum,
        unnest($kalender_uiterlijk::date[]) as uiterlijk
),

in_periode as (
    select *
    from melding_feiten
    where berichtsoort = $berichtsoort
        and zorgdatum between $van and $tot
)

select
    in_periode.regel_id::varchar as eenheid,
    in_periode.client_id,
    in_periode.gemeente,
    in_periode.domein,
    in_periode.segment,
    in_periode.subsegment,
    in_periode.aanbieder,
    false as voorlopig,
    in_periode.zorgdatum as datum,
    (in_periode.dagtekening <= kalender.uiterlijk)::integer as tijdig
from in_periode
inner join kalender
    on kalender.datum = in_periode.zorgdatum
