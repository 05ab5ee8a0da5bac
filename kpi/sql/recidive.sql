-- Recidive: one row per zorgepisode that ended with a 307 in the period, death (reden
-- beeindiging 02) excluded. teruggekeerd = 1 when the client begins a new zorgepisode in
-- the same domein in (end, end + 365] (episode_feiten.volgende_begindatum: the first begin
-- after the end). Voorlopig while end + 365 lies after the peildatum.
-- Params: $van, $tot, $peildatum.
-- datum: the day that places the unit in the period (a monthly series splits by it).

with

beeindigd as (
    select *
    from episode_feiten
    where einddatum_zorg is not null
        and einde between $van and $tot
        and coalesce(reden_beeindiging, '') <> '02'
)

select
    episode_id as eenheid,
    client_id,
    gemeente,
    domein,
    segment,
    subsegment,
    aanbieder,
    einde + 365 > $peildatum as voorlopig,
    einde as datum,
    coalesce(volgende_begindatum <= einde + 365, false)::integer as teruggekeerd
from beeindigd
