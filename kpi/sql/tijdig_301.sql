-- Tijdig 301: one row per 315 product line (verzoek om toewijzing) with dagtekening in
-- the period, with the date of its answer (verzoek_feiten.antwoord_datum: a 301 or 319 matched
-- by referentie_aanbieder, else the earliest unanswered 315/317 of the same client, gemeente
-- and aanbieder, as warehouse/sql/feiten/verzoek_feiten.sql says). tijdig = 1 when that answer
-- is dated on or before the 5th werkdag after the 315. Voorlopig: unanswered while that
-- deadline is not yet past the peildatum.
-- Params: $van, $tot, $peildatum, $kalender_datum, $kalender_uiterlijk.
-- datum: the day that places the unit in the period (a monthly series splits by it).

with

kalender as (
    select
        unnest($kalender_datum::date[]) as datum,
        unnest($kalender_uiterlijk::date[]) as uiterlijk
),

verzoeken as (
    select *
    from verzoek_feiten
    where dagtekening between $van and $tot
)

select
    verzoeken.regel_id::varchar as eenheid,
    verzoeken.client_id,
    verzoeken.gemeente,
    verzoeken.domein,
    verzoeken.segment,
    verzoeken.subsegment,
    verzoeken.aanbieder,
    verzoeken.antwoord_datum is null and kalender.uiterlijk >= $peildatum as voorlopig,
    verzoeken.dagtekening as datum,
    coalesce(verzoeken.antwoord_datum <= kalender.uiterlijk, false)::integer as tijdig
from verzoeken
inner join kalender
    on kalender.datum = verzoeken.dagtekening
