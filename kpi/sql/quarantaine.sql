-- Quarantaine: one row per input row rejected at load (ernst 'fout'), with its reason.
-- Not bound to a period. Domein from the message type where there is one.

with

afgekeurd as (
    select
        tabel,
        bron_bestand,
        bron_regel,
        kolom,
        reden,
        bericht_type,
        gemeente,
        aanbieder
    from quarantaine
    where ernst = 'fout'
)

select
    concat_ws('|', tabel, bron_bestand, bron_regel, kolom) as eenheid,
    null::varchar as client_id,
    gemeente,
    case
        when upper(bericht_type) like 'JW%' then 'jeugd'
        when upper(bericht_type) like 'WMO%' then 'wmo'
    end as domein,
    null::varchar as segment,
    null::varchar as subsegment,
    aanbieder,
    false as voorlopig,
    reden
from afgekeurd
