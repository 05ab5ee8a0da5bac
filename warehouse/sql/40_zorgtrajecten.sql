-- Zorgtrajecten: one client's valid zorgperiodes at one aanbieder in one segment, chained where
-- the next begins on or before the day after the previous ends (an open period swallows all
-- later ones). So an administrative conversion on 1-7-2022, a verlenging or a re-assignment is
-- one zorgtraject. Begin: the first begindatum. The "last" period is the one that ends last
-- (open counts as the end of time); it gives the sub-segment, zwaarte, gemeente, the end and
-- the reden beëindiging. einddatum_zorg is set only when that last period has a 307.
insert into zorgtrajecten
with

periodes as (
    select
        *,
        coalesce(einddatum, date '9999-12-31') as eind_sortering
    from zorgperiodes
    where geldig
),

met_vorige as (
    select
        *,
        max(eind_sortering) over (
            partition by client_id, aanbieder, segment
            order by begindatum, eind_sortering, gemeente, toewijzingnummer
            rows between unbounded preceding and 1 preceding
        ) as vorige_eind
    from periodes
),

eilanden as (
    select
        *,
        sum(case when vorige_eind is null or begindatum - 1 > vorige_eind then 1 else 0 end) over (
            partition by client_id, aanbieder, segment
            order by begindatum, eind_sortering, gemeente, toewijzingnummer
            rows unbounded preceding
        ) as eiland
    from met_vorige
),

geordend as (
    select
        *,
        row_number() over (
            partition by client_id, aanbieder, segment, eiland
            order by eind_sortering desc, begindatum desc, gemeente desc, toewijzingnummer desc
        ) as rang_laatste,
        row_number() over (
            partition by client_id, aanbieder, segment, eiland
            order by begindatum, toewijzing_ingangsdatum, gemeente, toewijzingnummer
        ) as rang_eerste
    from eilanden
),

per_eiland as (
    select
        client_id,
        aanbieder,
        segment,
        eiland,
        min(begindatum) as begindatum,
        max(eind_sortering) as eind_sortering,
        count(*) as aantal_periodes
    from geordend
    group by all
),

laatste as (
    select * from geordend where rang_laatste = 1
),

eerste as (
    select * from geordend where rang_eerste = 1
)

select
    concat_ws('|', e.client_id, e.aanbieder, e.segment, strftime(e.begindatum, '%Y-%m-%d'))
        as traject_id,
    e.client_id,
    e.aanbieder,
    l.domein,
    e.segment,
    l.subsegment,
    l.zwaarte,
    l.gemeente,
    e.begindatum,
    case when l.einddatum_zorg is not null then l.einddatum end as einddatum_zorg,
    case when e.eind_sortering < date '9999-12-31' then e.eind_sortering end as einddatum,
    case when l.einddatum_zorg is not null then l.reden_beeindiging end as reden_beeindiging,
    case
        when l.einddatum_zorg is null then null
        when (l.domein = 'jeugd' and l.reden_beeindiging = '31')
            or (l.domein = 'wmo' and l.reden_beeindiging = '19') then 'volgens_plan'
        when (l.domein = 'jeugd' and l.reden_beeindiging in ('32', '33', '34', '35'))
            or (l.domein = 'wmo' and l.reden_beeindiging in ('21', '22', '23')) then 'voortijdig'
        else 'overig'
    end as reden_groep,
    f.toewijzing_ingangsdatum as wacht_ingangsdatum,
    e.aantal_periodes
from per_eiland as e
inner join laatste as l
    on l.client_id = e.client_id and l.aanbieder = e.aanbieder
    and l.segment = e.segment and l.eiland = e.eiland
inner join eerste as f
    on f.client_id = e.client_id and f.aanbieder = e.aanbieder
    and f.segment = e.segment and f.eiland = e.eiland;
