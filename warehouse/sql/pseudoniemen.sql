-- Pseudonyms of the BSNs of the checked messages, computed once per distinct BSN: the
-- HMAC-SHA256 of the BSN with the load's key, first 32 hex characters (the same value as
-- warehouse.pseudoniem.pseudoniem). A temporary table: it never reaches the database file.
-- Params: $ipad, $opad (the key's HMAC pads, warehouse.pseudoniem.hmac_blokken).
create temp table pseudoniemen as
with

bsns as (
    select distinct bsn
    from berichten_gecontroleerd
    where not _fout and bsn is not null
)

select
    bsn,
    left(sha256($opad || unhex(sha256($ipad || encode(bsn)))), 32) as client_id
from bsns
