-- Contracts valid on some day of the period [$van, $tot], one row each.
-- Params: $van, $tot.

select
    aanbieder,
    gemeente,
    domein,
    segment,
    subsegment,
    geldig_van,
    geldig_tot,
    plekken,
    plekprijs,
    opgegeven_doorlooptijd_dagen
from contracten
where geldig_van <= $tot
    and geldig_tot >= $van
