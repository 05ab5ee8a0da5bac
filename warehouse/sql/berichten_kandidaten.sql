-- The checked messages that passed every rule, with the BSN replaced by its pseudonym: the
-- input of 00_berichten.sql (which drops this view).
create temp view berichten_kandidaten as
select
    g.* exclude (bsn, _fout),
    p.client_id
from berichten_gecontroleerd as g
left join pseudoniemen as p
    on p.bsn = g.bsn
where not g._fout
