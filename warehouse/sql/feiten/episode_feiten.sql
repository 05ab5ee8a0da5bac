-- Episode_feiten: one row per zorgepisode with its end and the begin of the client's next
-- zorgepisode in the same domein (the first to begin after that end; null: none), which is
-- all recidive needs besides the period and the peildatum.
with

episodes as (
    select
        episode_id,
        client_id,
        gemeente,
        domein,
        segment,
        subsegment,
        aanbieder,
        begindatum,
        coalesce(einddatum, einddatum_zorg) as einde,
        einddatum_zorg,
        reden_beeindiging
    from zorgepisodes
),

beginnen as (
    select distinct
        client_id,
        domein,
        begindatum
    from zorgepisodes
)

select
    episodes.*,
    beginnen.begindatum as volgende_begindatum
from episodes
asof left join beginnen
    on beginnen.client_id = episodes.client_id
    and beginnen.domein = episodes.domein
    and beginnen.begindatum > episodes.einde
order by episodes.segment, episodes.aanbieder, episodes.einde
