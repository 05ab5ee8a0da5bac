-- The CM-gesprek dossier (SQLite). Append-only: an item is created once, every edit is a new
-- row in `versie`; the triggers refuse UPDATE and DELETE on both tables, so nothing is
-- overwritten or removed without a trace. Withdrawing an item is a version with ingetrokken = 1.
-- Dates are ISO text ('2024-12-31'), moments ISO text in UTC ('2024-12-31T14:05:00+00:00'),
-- money exact as decimal text ('657000.00').

create table if not exists item (
    id integer primary key,
    soort text not null
        check (soort in ('agendapunt', 'afspraak', 'toelichting', 'besluit', 'groep')),
    aanbieder text,                  -- AGB code; null only for a groep
    subsegment text,                 -- a groep's sub-segment; null otherwise
    periode text not null,           -- period code as kpi.Periode writes it: 'cj2023', '2024-Q2'
    periode_van text not null,
    periode_tot text not null,
    aangemaakt_door text not null,
    aangemaakt_op text not null,
    check ((soort = 'groep') = (aanbieder is null)),
    check ((soort = 'groep') = (subsegment is not null)),
    check (periode_van <= periode_tot)
);

create table if not exists versie (
    volgnummer integer primary key,  -- one sequence over all versions: the dossier's 'stand'
    item_id integer not null references item (id),
    versie integer not null check (versie >= 1),
    tekst text not null,
    gedeeld integer not null check (gedeeld in (0, 1)),
    ingetrokken integer not null default 0 check (ingetrokken in (0, 1)),
    kpi text,                        -- toelichting, agendapunt: the KPI it is about
    afspraak_id integer references item (id),  -- agendapunt: the afspraak it follows up
    eigenaar text,                   -- afspraak: who acts
    deadline text,                   -- afspraak: due date
    status text check (status is null or status in ('open', 'gedaan', 'vervallen')),
    onderwerp text,                  -- besluit: voorschot, lumpsum, plekken, overig
    waarde_van text,                 -- besluit: from (money or places), exact decimal text
    waarde_naar text,                -- besluit: to
    ingangsdatum text,               -- besluit: in force from
    leden text,                      -- groep: JSON list of AGB codes
    door text not null,
    op text not null,
    unique (item_id, versie)
);

create index if not exists item_per_aanbieder on item (aanbieder, periode_van);

-- the latest version of every item
create view if not exists huidig as
select i.id, i.soort, i.aanbieder, i.subsegment, i.periode, i.periode_van, i.periode_tot,
       i.aangemaakt_door, i.aangemaakt_op,
       v.volgnummer, v.versie, v.tekst, v.gedeeld, v.ingetrokken, v.kpi, v.afspraak_id,
       v.eigenaar, v.deadline, v.status, v.onderwerp, v.waarde_van, v.waarde_naar,
       v.ingangsdatum, v.leden, v.door, v.op
from item as i
join versie as v on v.item_id = i.id
where v.versie = (select max(w.versie) from versie as w where w.item_id = i.id);

create trigger if not exists item_blijft before update on item
begin
    select raise(abort, 'dossier: een item wordt niet gewijzigd, alleen aangevuld met een versie');
end;
create trigger if not exists item_wordt_niet_verwijderd before delete on item
begin
    select raise(abort, 'dossier: een item wordt niet verwijderd (trek het in met een versie)');
end;
create trigger if not exists versie_blijft before update on versie
begin
    select raise(abort, 'dossier: een versie wordt niet gewijzigd, voeg een nieuwe toe');
end;
create trigger if not exists versie_wordt_niet_verwijderd before delete on versie
begin
    select raise(abort, 'dossier: een versie wordt niet verwijderd');
end;
