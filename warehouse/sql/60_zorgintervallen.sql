-- Zorgintervallen: the valid zorgperiodes merged per client, gemeente, aanbieder and
-- sub-segment into non-overlapping intervals, so that overlapping toewijzingen count a care day
-- once. einddatum null = open (care runs to the peildatum).
-- client_nr: the pseudonym (32 hex characters, sql/pseudoniemen.sql) read as the 128-bit
-- number it spells: the same client, the same value, so a count of distinct clients (lopend)
-- hashes a number instead of a string; twice as fast at land scale.
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
),

intervallen as (
    select
        client_id,
        gemeente,
        aanbieder,
        any_value(domein) as domein,
        any_value(segment) as segment,
        subsegment,
        min(begindatum) as begindatum,
        case when max(eind_sortering) < date '9999-12-31' then max(eind_sortering) end
            as einddatum
    from eilanden
    group by client_id, gemeente, aanbieder, subsegment, eiland
)

select
    *,
    ('0x' || client_id)::uhugeint as client_nr
from intervallen
-- stored in (segment, aanbieder, begindatum) order, as the fact tables: a query for one
-- provider or segment then reads only its row groups
order by segment, aanbieder, begindatum;

set preserve_insertion_order = false;
