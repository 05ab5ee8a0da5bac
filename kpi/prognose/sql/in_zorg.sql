-- Care running on the peildatum: one row per zorginterval (client x gemeente x aanbieder x
-- sub-segment, merged, so a client counts once per day as in zorgdagen) with a zorgdag on the
-- peildatum, with:
--   traject_begin: the begin of the zorgtraject the interval belongs to (same client,
--     aanbieder and segment; the latest one begun on or before the interval): the days in
--     care so far count from there, as the survival of trajectories does;
--   einde: the interval's last possible day (the toewijzing's einddatum, or an announced
--     stop); null: open ended.
-- Params: $peildatum.

select
    i.client_id,
    i.gemeente,
    i.aanbieder,
    i.subsegment,
    i.einddatum as einde,
    max(t.begindatum) as traject_begin
from zorgintervallen as i
inner join zorgtrajecten as t
    on t.client_id = i.client_id
    and t.aanbieder = i.aanbieder
    and t.segment = i.segment
    and t.begindatum <= i.begindatum
where i.begindatum <= $peildatum
    and (i.einddatum is null or i.einddatum >= $peildatum)
group by all
