-- Zorgperiodes: per toewijzing (not voided) with a standing 305, from its begindatum to its
-- 307 einddatum_zorg. Without a 307 it runs on, but never past the toewijzing einddatum;
-- einddatum (the last day of care) is therefore the earlier of the two, null when both are open.
-- A stop before the start, or a start after the toewijzing ended, makes the period invalid.
insert into zorgperiodes
with

toewijzingen_geldig as (
    select *
    from toewijzingen
    where not verwijderd
),

starts as (
    select *
    from start_stop
    where berichtsoort = '305' and toewijzingnummer is not null
),

stops as (
    select *
    from start_stop
    where berichtsoort = '307' and toewijzingnummer is not null
),

gekoppeld as (
    select
        t.*,
        s.begindatum,
        s.dagtekening as start_dagtekening,
        e.einddatum_zorg,
        e.reden_beeindiging,
        e.dagtekening as stop_dagtekening
    from toewijzingen_geldig as t
    inner join starts as s
        on s.gemeente = t.gemeente and s.toewijzingnummer = t.toewijzingnummer
    left join stops as e
        on e.gemeente = t.gemeente and e.toewijzingnummer = t.toewijzingnummer
),

begrensd as (
    select
        *,
        case
            when einddatum_zorg is null then einddatum
            when einddatum is null then einddatum_zorg
            else least(einddatum_zorg, einddatum)
        end as laatste_zorgdag
    from gekoppeld
)

select
    gemeente,
    toewijzingnummer,
    client_id,
    aanbieder,
    domein,
    segment,
    subsegment,
    zwaarte,
    product_code,
    ingangsdatum as toewijzing_ingangsdatum,
    einddatum as toewijzing_einddatum,
    begindatum,
    einddatum_zorg,
    laatste_zorgdag as einddatum,
    reden_beeindiging,
    start_dagtekening,
    stop_dagtekening,
    coalesce(laatste_zorgdag >= begindatum, true) as geldig,
    case
        when einddatum_zorg < begindatum then 'stop voor start'
        when laatste_zorgdag < begindatum then 'start na einde toewijzing'
    end as ongeldig_reden
from begrensd;
