-- Toewijzingen: one row per (gemeente, toewijzingnummer). The latest 301 for a key sets its
-- product, ingangsdatum and einddatum (verlenging / verkorting); reden wijziging 13 voids it.
-- "Latest" = highest dagtekening, then highest bericht_id (numeric order), then input order.
insert into toewijzingen
with

berichten_301 as (
    select
        b.*,
        p.segment,
        p.subsegment,
        p.zwaarte
    from berichten as b
    inner join producten as p on p.product_code = b.product_code
    where b.berichtsoort = '301'
),

gerangschikt as (
    select
        *,
        row_number() over (
            partition by gemeente, toewijzingnummer
            order by dagtekening desc, length(bericht_id) desc, bericht_id desc, regel_id desc
        ) as volgorde,
        min(dagtekening) over (partition by gemeente, toewijzingnummer) as eerste_dagtekening,
        count(*) over (partition by gemeente, toewijzingnummer) as aantal_301
    from berichten_301
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
    product_categorie,
    product_code,
    ingangsdatum,
    einddatum,
    reden_wijziging,
    coalesce(reden_wijziging = '13', false) as verwijderd,
    eerste_dagtekening,
    dagtekening as laatste_dagtekening,
    aantal_301
from gerangschikt
where volgorde = 1;
