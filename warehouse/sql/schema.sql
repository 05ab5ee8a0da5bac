-- The warehouse schema: every table the load writes, in one place.
-- Staged tables are filled from the extract (after checks); derived tables by the
-- numbered .sql files in this folder. Money is DECIMAL(18, 2) euros everywhere.
-- Client identifiers are pseudonyms (client_id = keyed HMAC-SHA256 of the BSN); the raw
-- BSN, names and addresses never reach this file.

-- ---------------------------------------------------------------- reference
create table gemeenten (
    gemeente varchar primary key,   -- 4-digit CBS code, text with leading zeros
    naam varchar not null,
    provincie varchar,
    regio varchar                   -- e.g. 'Achterhoek'
);

create table producten (
    product_code varchar not null,
    product_categorie varchar,
    subsegment varchar not null,
    segment varchar not null,
    domein varchar not null,        -- 'jeugd' | 'wmo'
    zwaarte integer not null,       -- 1 = lightest
    geldig_van date,
    geldig_tot date
);

create table aanbieders (
    aanbieder varchar primary key,  -- 8-digit AGB code
    naam varchar not null,
    grootte varchar                 -- 'klein' | 'regulier' | 'strategisch'
);

-- ---------------------------------------------------------------- messages
-- One row per product line of a message (iJw/iWmo 301, 305, 307, 315, 317, 319).
create table berichten (
    regel_id bigint not null,       -- deterministic row id, order of the input
    bron_bestand varchar not null,
    bron_regel integer not null,
    bericht_type varchar not null,  -- 'JW301' ... 'WMO319'
    berichtsoort varchar not null,  -- '301' | '305' | '307' | '315' | '317' | '319'
    domein varchar not null,        -- 'jeugd' | 'wmo' (from the message type)
    afzender varchar not null,      -- gemeente for 301/319, aanbieder otherwise
    bericht_id varchar not null,
    dagtekening date not null,
    gemeente varchar not null,
    aanbieder varchar not null,
    client_id varchar,              -- pseudonym; null only for 319 (which carries no client)
    geboortejaar integer,           -- year only: the date of birth is not kept
    toewijzingnummer varchar,
    referentie_aanbieder varchar,
    product_categorie varchar,
    product_code varchar,
    ingangsdatum date,
    einddatum date,
    reden_wijziging varchar,
    begindatum date,
    einddatum_zorg date,
    reden_beeindiging varchar,
    status_aanlevering varchar,
    verzoek_antwoord varchar
);

-- ---------------------------------------------------------------- finance
create table contracten (
    aanbieder varchar not null,
    gemeente varchar not null,
    subsegment varchar not null,
    segment varchar not null,       -- derived from producten
    domein varchar not null,
    geldig_van date not null,
    geldig_tot date not null,
    plekken double not null,
    plekprijs decimal(18, 2) not null,
    opgegeven_doorlooptijd_dagen integer
);

create table voorschotten (
    aanbieder varchar not null,
    gemeente varchar not null,
    maand date not null,            -- first day of the month
    bedrag decimal(18, 2) not null
);

create table begroting (
    gemeente varchar,               -- null: the whole region
    segment varchar not null,
    jaar integer not null,
    begroot_bedrag decimal(18, 2),
    target_clienten double,
    target_kosten_per_client decimal(18, 2),
    maand date,                     -- with prognose_cumulatief: a non-linear plan
    prognose_cumulatief decimal(18, 2)
);

create table uitgaven (
    gemeente varchar not null,
    segment varchar not null,
    aanbieder varchar,
    boekdatum date not null,
    bedrag decimal(18, 2) not null
);

-- ---------------------------------------------------------------- other sources
-- KPI values the region receives from other sources than the berichtenverkeer
-- (cliënttevredenheid, doelrealisatie): one row per delivered measurement of a KPI declared in
-- kpi/externe_kpis.toml. No client-level data: counts of respondents or trajectories only.
create table kpi_waarden (
    kpi varchar not null,           -- id of an external KPI
    aanbieder varchar not null,
    gemeente varchar,               -- null: all gemeenten of the aanbieder
    subsegment varchar,             -- null: all sub-segments of the aanbieder
    periode_van date not null,      -- the measured period, both ends included
    periode_tot date not null,
    waarde decimal(18, 6),          -- as delivered; a share as a fraction 0..1
    teller decimal(18, 6),          -- teller and noemer: both or neither
    noemer decimal(18, 6),
    n integer,                      -- what the value rests on; null: the noemer
    bron varchar                    -- e.g. 'cliënttevredenheidsonderzoek 2023'
);

-- ---------------------------------------------------------------- load bookkeeping
-- Every input row ends up in its table or here. ernst: 'fout' (rejected),
-- 'dubbel' (a duplicate of a message already loaded: loaded once, counted here),
-- 'genegeerd' (a valid message of a kind the KPIs do not use, e.g. a 323 declaration).
create table quarantaine (
    tabel varchar not null,
    bron_bestand varchar not null,
    bron_regel integer not null,
    kolom varchar,
    reden varchar not null,         -- a fixed text, so that counts group by it
    waarde varchar,                 -- the offending value (never a BSN or date of birth)
    ernst varchar not null,
    bericht_type varchar,
    gemeente varchar,
    aanbieder varchar,
    ruwe_regel varchar              -- JSON of the input row, BSN(-like numbers) as pseudonyms
);

create table laadverslag (
    bron_bestand varchar not null,
    tabel varchar not null,
    regels_in bigint not null,
    geladen bigint not null,
    dubbel bigint not null,
    genegeerd bigint not null,
    afgekeurd bigint not null,
    extra_kolommen varchar,         -- names of columns kept aside (values are not stored)
    codering varchar,               -- a CSV file's encoding: 'UTF-8', 'UTF-8 met BOM', 'Windows-1252'
    opmerking varchar               -- a warning about the file (e.g. only a header, no rows)
);

create table meta (
    sleutel varchar primary key,    -- 'peildatum', 'geladen_op', 'extract', 'schema_versie'
    waarde varchar not null
);

-- ---------------------------------------------------------------- derived
-- See kpi-definities.md "From messages to care periods"; built by 10_*.sql ... 60_*.sql.

create table toewijzingen (
    gemeente varchar not null,
    toewijzingnummer varchar not null,
    client_id varchar not null,
    aanbieder varchar not null,
    domein varchar not null,
    segment varchar not null,
    subsegment varchar not null,
    zwaarte integer not null,
    product_categorie varchar,
    product_code varchar not null,
    ingangsdatum date not null,
    einddatum date,                 -- null: open-ended
    reden_wijziging varchar,
    verwijderd boolean not null,    -- latest 301 has reden wijziging 13
    eerste_dagtekening date not null,
    laatste_dagtekening date not null,
    aantal_301 integer not null
);

-- Standing 305/307 product lines after status 2/3 handling, linked to a toewijzing.
create table start_stop (
    berichtsoort varchar not null,  -- '305' | '307'
    regel_id bigint not null,
    gemeente varchar not null,
    toewijzingnummer varchar,       -- of the linked toewijzing; null when unmatched
    koppeling varchar not null,     -- 'nummer' | 'terugval' | 'geen'
    client_id varchar not null,
    aanbieder varchar not null,
    product_code varchar,
    begindatum date not null,
    einddatum_zorg date,
    reden_beeindiging varchar,
    dagtekening date not null
);

create table zorgperiodes (
    gemeente varchar not null,
    toewijzingnummer varchar not null,
    client_id varchar not null,
    aanbieder varchar not null,
    domein varchar not null,
    segment varchar not null,
    subsegment varchar not null,
    zwaarte integer not null,
    product_code varchar not null,
    toewijzing_ingangsdatum date not null,
    toewijzing_einddatum date,
    begindatum date not null,       -- from the 305
    einddatum_zorg date,            -- from the 307; null: no stop message
    einddatum date,                 -- last day of care: 307 end capped at toewijzing einddatum; null = open
    reden_beeindiging varchar,
    start_dagtekening date not null,
    stop_dagtekening date,
    geldig boolean not null,        -- false: stop before start, or start after the toewijzing ended
    ongeldig_reden varchar
);

create table zorgtrajecten (
    traject_id varchar not null,    -- client_id|aanbieder|segment|begindatum
    client_id varchar not null,
    aanbieder varchar not null,
    domein varchar not null,
    segment varchar not null,
    subsegment varchar not null,    -- of its last period
    zwaarte integer not null,       -- of its last period
    gemeente varchar not null,      -- of its last period
    begindatum date not null,
    einddatum_zorg date,            -- from the last period's 307; null = open
    einddatum date,                 -- last day of care (null = open-ended)
    reden_beeindiging varchar,
    reden_groep varchar,            -- 'volgens_plan' | 'voortijdig' | 'overig' | null (open)
    wacht_ingangsdatum date not null, -- ingangsdatum of the first toewijzing (for wachttijd)
    aantal_periodes integer not null
);

create table zorgepisodes (
    episode_id varchar not null,    -- client_id|domein|begindatum
    client_id varchar not null,
    domein varchar not null,
    aanbieder varchar not null,     -- of the zorgtraject that ends last
    segment varchar not null,
    subsegment varchar not null,
    zwaarte integer not null,
    gemeente varchar not null,
    begindatum date not null,
    einddatum_zorg date,
    einddatum date,
    reden_beeindiging varchar,
    reden_groep varchar,
    aantal_trajecten integer not null
);

-- Care days without double counting: the valid zorgperiodes merged per client, gemeente,
-- aanbieder and sub-segment into non-overlapping intervals. einddatum null = open.
create table zorgintervallen (
    client_id varchar not null,
    gemeente varchar not null,
    aanbieder varchar not null,
    domein varchar not null,
    segment varchar not null,
    subsegment varchar not null,
    begindatum date not null,
    einddatum date,
    client_nr uhugeint,  -- client_id as a number (sql/60_zorgintervallen.sql)
    overlapt boolean  -- shares a day with another interval of the client (idem)
);

-- ---------------------------------------------------------------- facts for the KPIs
-- What the KPI queries read that depends on neither the period nor the peildatum, derived
-- once per load by sql/feiten/<table>.sql (a KPI query then only filters and counts). A
-- warehouse without them (meta 'feiten' absent) gets the same SQL as views from kpi.

create table traject_feiten (
    traject_id varchar not null,
    client_id varchar not null,
    gemeente varchar not null,
    domein varchar not null,
    segment varchar not null,
    subsegment varchar not null,
    aanbieder varchar not null,
    zwaarte integer not null,
    begindatum date not null,
    wacht_ingangsdatum date not null,
    einddatum_zorg date,
    einde date,                     -- last day of care (einddatum, else einddatum_zorg)
    reden_groep varchar,
    opgegeven_dagen integer,        -- contract's opgegeven doorlooptijd at the end (ended only)
    vorige_zorg_einde date,         -- latest end of the client's earlier care in the domein
    vervolg_begindatum date,        -- first later zorgtraject in the domein: its begin ...
    vervolg_zwaarte integer         -- ... and (on a tie, the lightest) zwaarte
);

create table episode_feiten (
    episode_id varchar not null,
    client_id varchar not null,
    gemeente varchar not null,
    domein varchar not null,
    segment varchar not null,
    subsegment varchar not null,
    aanbieder varchar not null,
    begindatum date not null,
    einde date,
    einddatum_zorg date,
    reden_beeindiging varchar,
    volgende_begindatum date        -- begin of the client's next zorgepisode in the domein
);

create table melding_feiten (
    regel_id bigint not null,
    berichtsoort varchar not null,  -- '305' | '307'
    client_id varchar not null,
    gemeente varchar not null,
    domein varchar,
    segment varchar,
    subsegment varchar,
    aanbieder varchar not null,
    zorgdatum date,                 -- begindatum (305) or einddatum_zorg (307)
    dagtekening date not null
);

create table verzoek_feiten (
    regel_id bigint not null,
    client_id varchar,
    gemeente varchar not null,
    domein varchar not null,
    segment varchar,
    subsegment varchar,
    aanbieder varchar not null,
    dagtekening date not null,
    antwoord_datum date             -- first 301/319 answering this 315; null: none
);

create table toewijzing_feiten (
    gemeente varchar not null,
    toewijzingnummer varchar not null,
    client_id varchar not null,
    domein varchar not null,
    segment varchar not null,
    subsegment varchar not null,
    aanbieder varchar not null,
    ingangsdatum date not null,
    einddatum date,
    verwijderd boolean not null,
    gestart boolean not null,       -- a standing 305 is linked
    gestopt boolean not null        -- a standing 307 is linked
);
