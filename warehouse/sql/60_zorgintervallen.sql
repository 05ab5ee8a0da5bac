-- Zorgintervallen: the valid zorgperiodes merged per client, gemeente, aanbieder and
-- sub-segment into non-overlapping intervals, so that overlapping toewijzingen count a care day
-- once. einddatum null = open (care runs to the peildatum).
-- client_nr: the pseudonym (32 hex characters, sql/pseudoniemen.sql) read as the 128-bit
-- number it spells: the same client, the same value, so a count of distinct clients (lopend)
-- hashes a number instead of a string; twice as fast at land scale.
-- overlapt: the interval shares a day with another zorginterval of the same client (any
-- gemeente, aanbieder or sub-segment; an open interval runs for ever here). A client whose
-- interval overlaps none has no other interval on any of its days, so on one day (lopend)
-- it is the client's only row: it counts as one client without a distinct count, which at
-- land leaves about 5 % of the running intervals to the distinct count. The flag holds for
-- the table as this step writes it: only the load writes zorgintervallen (a row added or
-- changed afterwards could leave a stale false, and lopend would count a client twice).
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
        max(eind_sortering) as eind_sortering
    from eilanden
    group by client_id, gemeente, aanbieder, subsegment, eiland
),

-- the latest end of the client's intervals before this one, the earliest begin of those
-- after it (in begin order): a pair overlaps when the later begins on or before the earlier
-- ends, and both of them see that
met_buren as (
    select
        *,
        max(eind_sortering) over (buren rows between unbounded preceding and 1 preceding)
            as eerder_eind,
        min(begindatum) over (buren rows between 1 following and unbounded following)
            as later_begin
    from intervallen
    window buren as (
        partition by client_id
        order by begindatum, eind_sortering, gemeente, aanbieder, subsegment
    )
)

select
    client_id,
    gemeente,
    aanbieder,
    domein,
    segment,
    subsegment,
    begindatum,
    case when eind_sortering < date '9999-12-31' then eind_sortering end as einddatum,
    ('0x' || client_id)::uhugeint as client_nr,
    coalesce(eerder_eind >= begindatum, false) or coalesce(later_begin <= eind_sortering, false)
        as overlapt
from met_buren
-- stored in (segment, aanbieder, begindatum) order, as the fact tables: a query for one
-- provider or segment then reads only its row groups
order by segment, aanbieder, begindatum;

set preserve_insertion_order = false;
