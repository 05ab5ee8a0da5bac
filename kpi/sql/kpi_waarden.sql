-- Kpi_waarden: one row per delivered measurement of external KPI $kpi (table kpi_waarden, see
-- kpi/externe_kpis.toml) whose measured period lies within [$van, $tot]. The aggregation
-- 'aangeleverd' (kpi/aggregatie.py) combines such rows by the sums of teller and noemer; a row
-- without them counts only when its period is exactly [$van, $tot] (`precies`).
-- Segment and domein follow from the sub-segment (producten); a row without sub-segment has
-- neither, so a domein or segment filter leaves it out, as any unit without that value.
-- Params: $kpi, $van, $tot.

with

subsegmenten as (
    select subsegment, min(segment) as segment, min(domein) as domein
    from producten
    group by subsegment
)

select
    concat_ws('|', w.aanbieder, coalesce(w.gemeente, '*'), coalesce(w.subsegment, '*'),
              w.periode_van, w.periode_tot) as eenheid,
    null::varchar as client_id,
    w.gemeente,
    s.domein,
    s.segment,
    w.subsegment,
    w.aanbieder,
    false as voorlopig,
    w.periode_van,
    w.periode_tot,
    w.periode_van = $van and w.periode_tot = $tot as precies,
    w.waarde,
    w.teller,
    w.noemer,
    coalesce(w.n, w.noemer::integer) as meting_n,
    w.bron
from kpi_waarden as w
left join subsegmenten as s on s.subsegment = w.subsegment
where w.kpi = $kpi
    and w.periode_van >= $van
    and w.periode_tot <= $tot
order by w.aanbieder, w.gemeente, w.subsegment, w.periode_van
