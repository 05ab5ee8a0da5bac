-- Standing 305 and 307 product lines, each linked to its toewijzing.
-- Link by (gemeente, toewijzingnummer); where the message has no toewijzingnummer, fall back on
-- (client, gemeente, aanbieder, product_code, toewijzing ingangsdatum). Per toewijzing and kind
-- the latest message stands (status 2 replaces); when that latest one has status 3 it cancels
-- the earlier one and nothing stands.
insert into start_stop
with

meldingen as not materialized (
    select *
    from berichten
    where berichtsoort in ('305', '307')
),

terugval_kandidaten as (
    select
        m.regel_id,
        t.toewijzingnummer as gekoppeld_nummer,
        row_number() over (
            partition by m.regel_id
            order by t.verwijderd, t.laatste_dagtekening desc, t.toewijzingnummer
        ) as rang
    from meldingen as m
    inner join toewijzingen as t
        on
            t.client_id = m.client_id
            and t.gemeente = m.gemeente
            and t.aanbieder = m.aanbieder
            and t.product_code = m.product_code
            and t.ingangsdatum = m.ingangsdatum
    where m.toewijzingnummer is null
),

-- (gemeente, toewijzingnummer) is the key of toewijzingen: at most one match per message.
-- Only the columns the ranking and the result need: the window sorts every column it carries.
gekoppeld as (
    select
        m.berichtsoort,
        m.regel_id,
        m.gemeente,
        m.client_id,
        m.aanbieder,
        m.toewijzingnummer,
        m.product_code,
        m.ingangsdatum,
        m.begindatum,
        m.einddatum_zorg,
        m.reden_beeindiging,
        m.dagtekening,
        m.bericht_id,
        m.status_aanlevering,
        coalesce(t.toewijzingnummer, tv.gekoppeld_nummer) as gekoppeld_nummer,
        case
            when t.toewijzingnummer is not null then 'nummer'
            when tv.gekoppeld_nummer is not null then 'terugval'
            else 'geen'
        end as koppeling
    from meldingen as m
    left join toewijzingen as t
        on t.gemeente = m.gemeente and t.toewijzingnummer = m.toewijzingnummer
    left join terugval_kandidaten as tv on tv.regel_id = m.regel_id and tv.rang = 1
),

gerangschikt as (
    select
        *,
        row_number() over (
            partition by
                berichtsoort,
                gemeente,
                coalesce(
                    gekoppeld_nummer,
                    concat_ws(
                        '|', 'ongekoppeld', client_id, aanbieder, coalesce(toewijzingnummer, ''),
                        coalesce(product_code, ''), coalesce(cast(ingangsdatum as varchar), '')
                    )
                )
            order by dagtekening desc, length(bericht_id) desc, bericht_id desc, regel_id desc
        ) as volgorde
    from gekoppeld
)

select
    berichtsoort,
    regel_id,
    gemeente,
    gekoppeld_nummer as toewijzingnummer,
    koppeling,
    client_id,
    aanbieder,
    product_code,
    begindatum,
    einddatum_zorg,
    reden_beeindiging,
    dagtekening
from gerangschikt
where volgorde = 1 and coalesce(status_aanlevering, '1') <> '3';
