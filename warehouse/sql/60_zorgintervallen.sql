-- Zorgintervallen: the valid zorgperiodes merged per client, gemeente, aanbieder and
-- sub-segment into non-overlapping intervals, so that overlapping toewijzingen count a care day
-- once. einddatum null = open (care runs to the peildatum).
set preserve_insertion_order = true;

insert into zorgintervallen
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
            partition by client_id, gemeente, aanbieder, subsegment
            order by begindatum, eind_sortering, toewijzingnummer
            rows between unbounded preceding and 1 preceding
        ) as vorige_eind
    from periodes
),

eilanden as (
    select
        *,
        sum(case when vorige_eind is null or begindatum - 1 > vorige_eind then 1 else 0 end) over (
            partition by client_id, gemeente, aanbieder, subsegment
            order by begindatum, eind_sortering, toewijzingnummer
            rows unbounded preceding
        ) as eiland
    from met_vorige
)

select
    client_id,
    gemeente,
    aanbieder,
    any_value(domein) as domein,
    any_value(segment) as segment,
    subsegment,
    min(begindatum) as begindatum,
    case when max(eind_sortering) < date '9999-12-31' then max(eind_sortering) end as einddatum
from eilanden
group by client_id, gemeente, aanbieder, subsegment, eiland
-- stored in (segment, aanbieder, begindatum) order, as the fact tables: a query for one
-- provider or segment then reads only its row groups
order by any_value(segment), aanbieder, min(begindatum);

set preserve_insertion_order = false;
