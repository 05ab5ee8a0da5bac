-- Messages without duplicates. A message product line is identified by its kind, sender,
-- bericht_id, client and line (toewijzingnummer, referentie, product, ingangsdatum, begindatum).
-- The first occurrence in input order (lowest regel_id) is loaded; later copies go to
-- quarantaine: ernst 'dubbel' when identical, 'fout' when the same line has other content.
-- The checked messages are read once: all are stored, then the later copies taken out again.
-- Duplicates are rare: only lines whose key hash occurs more than once are ranked (on the full
-- key, so a hash collision ranks two different lines apart and changes nothing).
insert into berichten by name
select *
from berichten_kandidaten;

create temp table berichten_gerangschikt as
with

herhaald as (
    select
        hash(
            b.bericht_type, b.afzender, b.bericht_id, b.client_id, b.toewijzingnummer,
            b.referentie_aanbieder, b.product_code, b.ingangsdatum, b.begindatum
        ) as sleutel
    from berichten as b
    group by sleutel
    having count(*) > 1
),

kandidaten as (
    select b.*
    from berichten as b
    where
        hash(
            b.bericht_type, b.afzender, b.bericht_id, b.client_id, b.toewijzingnummer,
            b.referentie_aanbieder, b.product_code, b.ingangsdatum, b.begindatum
        ) in (select h.sleutel from herhaald as h)
)

select
    k.*,
    row_number() over regel as rang,
    first_value(k.regel_id) over regel as eerste_regel_id
from kandidaten as k
window regel as (
    partition by
        k.bericht_type, k.afzender, k.bericht_id, k.client_id, k.toewijzingnummer,
        k.referentie_aanbieder, k.product_code, k.ingangsdatum, k.begindatum
    order by k.regel_id
);

delete from berichten
where regel_id in (select g.regel_id from berichten_gerangschikt as g where g.rang > 1);

insert into quarantaine
with

later as (
    select * exclude (rang)
    from berichten_gerangschikt
    where rang > 1
),

vergeleken as (
    select
        l.*,
        e.bron_bestand as eerste_bestand,
        e.bron_regel as eerste_regel,
        (
            l.berichtsoort, l.domein, l.dagtekening, l.gemeente, l.aanbieder, l.geboortejaar,
            l.product_categorie, l.einddatum, l.reden_wijziging, l.einddatum_zorg,
            l.reden_beeindiging, l.status_aanlevering, l.verzoek_antwoord
        ) is not distinct from (
            e.berichtsoort, e.domein, e.dagtekening, e.gemeente, e.aanbieder, e.geboortejaar,
            e.product_categorie, e.einddatum, e.reden_wijziging, e.einddatum_zorg,
            e.reden_beeindiging, e.status_aanlevering, e.verzoek_antwoord
        ) as zelfde
    from later as l
    inner join berichten as e on e.regel_id = l.eerste_regel_id
)

select
    'berichten' as tabel,
    bron_bestand,
    bron_regel,
    'bericht_id' as kolom,
    case
        when zelfde then 'dubbel: al geladen'
        else 'tegenstrijdig dubbel: zelfde sleutel, andere inhoud'
    end as reden,
    concat('eerder: ', eerste_bestand, ' regel ', eerste_regel) as waarde,
    case when zelfde then 'dubbel' else 'fout' end as ernst,
    bericht_type,
    gemeente,
    aanbieder,
    to_json(struct_pack(
        bericht_type, bericht_id, dagtekening, gemeente, aanbieder, client_id, toewijzingnummer,
        referentie_aanbieder, product_categorie, product_code, ingangsdatum, einddatum,
        reden_wijziging, begindatum, einddatum_zorg, reden_beeindiging, status_aanlevering,
        verzoek_antwoord
    ))::varchar as ruwe_regel
from vergeleken;

drop table berichten_gerangschikt;
drop view berichten_kandidaten;
