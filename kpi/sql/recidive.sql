-- Recidive: one row per zorgepisode that ended with a 307 in the period, death (reden
-- beeindiging 02) excluded. teruggekeerd = 1 when the client begins a new zorgepisode in
-- the same domein in (end, end + 365]. Voorlopig while end + 365 lies after the peildatum.
-- Params: $van, $tot, $peildatum.

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

beeindigd as (
    select *
    from episodes
    where einddatum_zorg is not null
        and einde between $van and $tot
        and coalesce(reden_beeindiging, '') <> '02'
),

teruggekeerd as (
    select distinct beeindigd.episode_id
    from beeindigd
    inner join episodes as nieuw
        on nieuw.client_id = beeindigd.client_id
        and nieuw.domein = beeindigd.domein
        and nieuw.begindatum > beeindigd.einde
        and nieuw.begindatum <= beeindigd.einde + 365
)

select
    beeindigd.episode_id as eenheid,
    beeindigd.client_id,
    beeindigd.gemeente,
    beeindigd.domein,
    beeindigd.segment,
    beeindigd.subsegment,
    beeindigd.aanbieder,
    beeindigd.einde + 365 > $peildatum as voorlopig,
    (teruggekeerd.episode_id is not null)::integer as teruggekeerd
from beeindigd
left join teruggekeerd
    on teruggekeerd.episode_id = beeindigd.episode_id
