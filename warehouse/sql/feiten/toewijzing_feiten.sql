-- Toewijzing_feiten: one row per toewijzing with whether a standing 305 (gestart) and a
-- standing 307 (gestopt) is linked to it; zonder_start and zonder_stop read these.
with

gekoppeld as (
    select
        gemeente,
        toewijzingnummer,
        bool_or(berichtsoort = '305') as gestart,
        bool_or(berichtsoort = '307') as gestopt
    from start_stop
    where toewijzingnummer is not null
    group by gemeente, toewijzingnummer
)

select
    toewijzingen.gemeente,
    toewijzingen.toewijzingnummer,
    toewijzingen.client_id,
    toewijzingen.domein,
    toewijzingen.segment,
    toewijzingen.subsegment,
    toewijzingen.aanbieder,
    toewijzingen.ingangsdatum,
    toewijzingen.einddatum,
    toewijzingen.verwijderd,
    coalesce(gekoppeld.gestart, false) as gestart,
    coalesce(gekoppeld.gestopt, false) as gestopt
from toewijzingen
left join gekoppeld
    on gekoppeld.gemeente = toewijzingen.gemeente
    and gekoppeld.toewijzingnummer = toewijzingen.toewijzingnummer
order by toewijzingen.segment, toewijzingen.aanbieder, toewijzingen.ingangsdatum
