-- Zorgtrajecten for the forecast: every trajectory in care on some day of the survival window
-- [$venster_van, $peildatum] (begun on or before the peildatum, not ended before the window).
-- einde: its last day of care (the 307's end, else the toewijzing's einddatum); null: open
-- ended. Whether that end lies after the peildatum (then the trajectory is open at the
-- peildatum, censored there) is decided in Python (kpi/prognose/methode.py).
-- Params: $venster_van, $peildatum.

select
    aanbieder,
    gemeente,
    subsegment,
    begindatum,
    einddatum as einde
from zorgtrajecten
where begindatum <= $peildatum
    and (einddatum is null or einddatum >= $venster_van)
