-- Zorgepisodes: one client's care in one domein, at any aanbieder and in any segment, chained
-- like zorgtrajecten. A seamless move from GWV to IAJ, or to another provider, stays one
-- episode. It is attributed to the zorgtraject that ends last, which also gives its end and
-- its reden beëindiging.
insert into zorgepisodes
with

trajecten as (
    select
        *,
        coalesce(einddatum, date '9999-12-31') as eind_sortering
    from zorgtrajecten
),

met_vorige as (
    select
        *,
        max(eind_sortering) over (
            partition by client_id, domein
            order by begindatum, eind_sortering, aanbieder, segment
            rows between unbounded preceding and 1 preceding
        ) as vorige_eind
    from trajecten
),

eilanden as (
    select
        *,
        sum(case when vorige_eind is null or begindatum - 1 > vorige_eind then 1 else 0 end) over (
            partition by client_id, domein
            order by begindatum, eind_sortering, aanbieder, segment
            rows unbounded preceding
        ) as eiland
    from met_vorige
),

geordend as (
    select
        *,
        row_number() over (
            partition by client_id, domein, eiland
            order by eind_sortering desc, begindatum desc, aanbieder desc, segment desc
        ) as rang_laatste
    from eilanden
),

per_eiland as (
    select
        client_id,
        domein,
        eiland,
        min(begindatum) as begindatum,
        max(eind_sortering) as eind_sortering,
        count(*) as aantal_trajecten
    from geordend
    group by all
)

select
    concat_ws('|', e.client_id, e.domein, strftime(e.begindatum, '%Y-%m-%d')) as episode_id,
    e.client_id,
    e.domein,
    l.aanbieder,
    l.segment,
    l.subsegment,
    l.zwaarte,
    l.gemeente,
    e.begindatum,
    l.einddatum_zorg,
    case when e.eind_sortering < date '9999-12-31' then e.eind_sortering end as einddatum,
    l.reden_beeindiging,
    l.reden_groep,
    e.aantal_trajecten
from per_eiland as e
inner join geordend as l
    on l.client_id = e.client_id and l.domein = e.domein
    and l.eiland = e.eiland and l.rang_laatste = 1;
