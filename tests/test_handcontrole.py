"""Independent hand check: a small extract, KPI values worked out by hand from kpi-definities.md."""

# ruff: noqa: E501
#
# The expected values below were written down BEFORE running the KPI engine, from
# ../shared/domain/kpi-definities.md and data-contract.md only. Peildatum 2024-09-30.
#
# Parties: gemeente 0197 Aalten, 1859 Berkelland.  A = 01234567, B = 87654321, C = 11223344.
# Products: 54Z01 Jeugd Basis (IAJ, jeugd, zwaarte 1), 54Z02 Jeugd Specialistisch (IAJ, jeugd, 2),
#           43Z01 Verblijf Groep (GWV, jeugd, 3), 02Z01 Ondersteuning (IO, wmo, 1).
# Dutch holidays used: Goede Vrijdag 7-4, 2e Paasdag 10-4, Koningsdag 27-4, Hemelvaart 18-5,
# Pinkstermaandag 29-5, Kerst 25/26-12-2023, Nieuwjaar 1-1-2024.
#
# Clients (zorgperiodes; length = eind - begin + 1):
# C1  123456782 1859 A Basis   301 T1001 ingang 9-1 eind 30-6, verlenging (04) to 31-12; 305 16-1 (dag 20-1, 4 wd: ok);
#                              307 30-9-2023 reden 31 (dag 6-10: 2,3,4,5,6 Oct = 5 wd: ok). Traject 16-1..30-9 = 258 d, wacht 7.
# C2  111222333 0197 B VGroep  305 10-10-2022, 307 3-3-2023 reden 31 (dag 10-3: 5 wd ok). Traject 10-10-22..3-3-23 = 145 d.
#                    A Basis   301 ingang 11-4, 305 14-4 (dag 21-4: 5 wd ok), 307 29-9 reden 32 (dag 9-10: 6 wd LATE).
#                              Traject 14-4..29-9 = 169 d, wacht 3. Gap 3-3 -> 14-4 = 42 d: step-down z3 -> z1; recidive.
# C3  111111110 0197 B VGroep  T3001 305 1-7-2022, no 307, eind 30-6-2023 (runs to the eind: zonder_stop);
#                              T3002 ingang/305 1-6-2023 (dag 7-6: 4 wd ok), open. Overlap June counted once. Lopend.
# C4  177777771 1859 A Basis   301 ingang 20-4, 305 WITHOUT toewijzingnummer 24-4 (dag 2-5: 25,26,28 Apr,1,2 May = 5 wd
#                              thanks to Koningsdag: ok); no 307, no eind: open. Wacht 4.
# C5  255555544 1859 A Basis   2022 traject 7-2..31-10-2022 (reden 31); back 15-5-2023 (ingang 10-5; 305 dag 24-5:
#                              16,17,19,22,23 = 5, 24 = 6 wd: LATE), 307 30-11 reden 31 (dag 4-12: ok). 200 d, wacht 5, not new.
# C6  333333317 1859 A Spec    ingang 1-1, 305 2-1 (dag 9-1: 5 wd ok), 307 31-3 reden 34 (dag 14-4: late). 89 d, wacht 1.
#                    C Spec    switch: ingang/305 1-4 (dag 6-4: 4 wd ok), 307 31-7 reden 31 (dag 4-8 ok). 122 d, wacht 0.
#                              One zorgepisode 2-1..31-7 attributed to C.
# C7  411111085 1859 A Spec    305 7-11-2022, 307 26-5-2023 reden 02 overlijden (dag 5-6: Pinkstermaandag, 5 wd ok). 201 d.
# C8  488888852 1859 A Basis   old care to 31-3-2022; back 1-4-2023 (ingang 27-3, wacht 5; 305 dag 5-4 ok): NEW, because
#                              1-4-2023 - 365 = 1-4-2022 > 31-3-2022. 307 30-6 reden 31 (dag 7-7: 5 wd ok). 91 d.
#                              Returns 29-6-2024 = 30-6-2023 + 365 (2024 leap): recidive (edge, inclusive).
# C9  566666625 1859 A Basis   305 1-8-2022, 307 28-2-2023 reden 33 (dag 8-3: 6 wd LATE). 212 d.
#                              Returns 29-2-2024 = 28-2-2023 + 366: NOT recidive.
# C10 644444393 1859 A Ondersteuning (wmo) ingang 18-12, 305 22-12-2023 (dag 4-1-2024: 27,28,29-12, 2,3-1 = 5, 4-1 = 6: LATE), open.
# C11 722222166 0197 B VGroep  T11001 ingang 1-9-2023 never started (zonder_start); T11002 voided by reden 13.
# C12 799999933 1859 A Basis   305 status 1 (6-2) replaced by status 2: begin 13-2 (dag 20-2: 5 wd ok); 307 status 1 cancelled
#                              by status 3 -> no 307: runs to toewijzing eind 31-12-2023, open (zonder_stop). Wacht 7.
#
# Contracts (no voorschotten file, so voorschot = plekken x plekprijs x days / 365):
# K1 A 1859 Jeugd Basis    2023-01-01..2023-12-31  4 plekken  14.600 (dagprijs 40)
# K2 B 0197 Verblijf Groep 2022-07-01..2023-06-30  1 plek     73.000 (dagprijs 200)
# K3 B 0197 Verblijf Groep 2023-07-01..2024-06-30  2 plekken  76.650 (dagprijs 210)
# K4 A 1859 Ondersteuning  2023-01-01..2023-12-31  0,5 plek    7.300 (dagprijs 20)
# Uncontracted care (A 0197 Basis of C2, A/C Specialistisch) has zorgdagen but no cost and no benutting.
#
# ===== Period 2023 (kalenderjaar) =====
# | kpi | regio | A | B | C |
# |---|---|---|---|---|
# | instroom | 9: C1,C2A,C4,C5,C6A,C6C,C8,C10,C12 | 8 | 0 | 1 |
# | instroom_nieuw | 6: C1,C4,C6A,C8,C10,C12 | 6 | 0 | 0 |
# | uitstroom | 9: C1,C2B,C2A,C5,C6A,C6C,C7,C8,C9 | 7 | 1 | 1 |
# | uitstroom_volgens_plan | 5/9 (C1,C2B,C5,C6C,C8) | 3/7 | 1/1 | 1/1 |
# | doorlooptijd median | 89,91,122,145,[169],200,201,212,258 -> 169 | 89,91,169,[200],201,212,258 -> 200 | 145 | 122 |
# | doorlooptijd mean | 1487/9 = 165,222 | 1220/7 = 174,286 | 145 | 122 |
# | doorlooptijd p80 (linear interp., Excel PERCENTILE.INC / numpy default) | pos 0,8*8=6,4: 201+0,4*11 = 205,4 | pos 4,8: 201+0,8*11 = 209,8 | 145 | 122 |
# | lopend 31-12 | 4: C3,C4,C10,C12 | 3 | 1 | 0 |
# | zorgdagen | 2145 | 1596 | 427 | 122 |
# |   = C1 258 + C2B 62 + C2A 169 + C3 365 + C4 252 + C5 200 + C6A 89 + C6C 122 + C7 146 + C8 91 + C9 59 + C10 10 + C12 322 |
# | wachttijd median | 0,1,3,4,[4],5,5,7,7 -> 4 | 1,3,4,[4,5],5,7,7 -> 4,5 | - | 0 |
# | recidive | 2/7 (C2 ep1, C8) of C1,C2e1,C2e2,C5,C6,C8,C9; C7 death excluded; voorlopig (C5: 30-11-2023+365 > peildatum) | 1/5 voorlopig | 1/1 | 0/1 |
# | afschaling | 1/2 (C2B->A z3->z1 yes; C6A->C z2->z2 no) | 0/1 | 1/1 | - |
# | benutting | (1182+243+184+10)/(1460+181+368+182,5) = 1619/2191,5 | 1192/1642,5 | 427/549 | - |
# |   K1 1182 = C1 258+C4 252+C5 200+C8 91+C9 59+C12 322 / 4*365; K2 243 = C2 62+C3 181 / 1*181; K3 184 / 2*184; K4 10 / 0,5*365 |
# | zorgkosten | 1182*40 + 243*200 + 184*210 + 10*20 = 47280+48600+38640+200 = 134720 | 47480 | 87240 | - |
# | voorschot | 58400 + 73000*181/365 (36200) + 153300*184/365 (77280) + 3650 = 175530 | 62050 | 113480 | - |
# | saldo_afrekening | 175530 - 134720 = 40810 | 14570 | 26240 | - |
# | tijdig_305 | 8/10 (late: C5, C10) | 6/8 | 1/1 | 1/1 |
# | tijdig_307 | 6/9 (late: C2A, C6A, C9) | 4/7 | 1/1 | 1/1 |
# | zonder_start | 1 (T11001) | 0 | 1 | 0 |
# | zonder_stop | 2 (T3001, T12001) | 1 | 1 | 0 |
#
# ===== Period 2023-Q1 (90 days) =====
# | kpi | regio | A | B |
# |---|---|---|---|
# | instroom / nieuw | 3 / 3 (C1, C6A, C12) | 3 / 3 | 0 |
# | uitstroom | 3 (C2B, C6A, C9) | 2 | 1 |
# | uitstroom_volgens_plan | 1/3 | 0/2 | 1/1 |
# | doorlooptijd median/mean/p80 | 89,145,212: 145 / 446/3 / 145+0,6*67 = 185,2 | 150,5 / 150,5 / 89+0,8*123 = 187,4 | 145 |
# | lopend 31-3 | 5: C1,C3,C6,C7,C12 | 4 | 1 |
# | zorgdagen | 512 = C1 75 + C2 62 + C3 90 + C6 89 + C7 90 + C9 59 + C12 47 | 360 | 152 |
# | wachttijd | 1,7,7 -> 7 | 7 | - |
# | recidive | 1/2 (C2 ep1 yes, C9 no), final | 0/1 | 1/1 |
# | afschaling | 1/2 | 0/1 | 1/1 |
# | benutting | (181+152+0)/(360+90+45) = 333/495 | 181/405 | 152/90 |
# | zorgkosten | 181*40 + 152*200 = 7240 + 30400 = 37640 | 7240 | 30400 |
# | voorschot | 58400*90/365 + 73000*90/365 + 3650*90/365 = 14400 + 18000 + 900 = 33300 | 15300 | 18000 |
# | saldo_afrekening | 33300 - 37640 = -4340 | 8060 | -12400 |
# | tijdig_305 | 3/3 | 3/3 | - |
# | tijdig_307 | 1/3 (C2B ok; C6A, C9 late) | 0/2 | 1/1 |
# | zonder_start / zonder_stop | first written as a stock at peildatum (1 / 2). REVISED after comparison:
# |   the spec computes *all* KPIs "for a period", so a toewijzing belongs to the period of its
# |   ingangsdatum (zonder_start) / einddatum (zonder_stop): no ingangsdatum/einddatum of a
# |   startless/stopless toewijzing lies in Q1 -> 0 / 0. (2023: 1 / 2 either way.) | 0 / 0 | 0 / 0 |

from __future__ import annotations

import os
import sys
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

os.environ.setdefault("STOPLICHT_PSEUDONIEM_SLEUTEL", "test")

import duckdb  # noqa: E402
import polars as pl  # noqa: E402
import pytest  # noqa: E402

from kpi import bereken  # noqa: E402
from warehouse.laden import laad_extract  # noqa: E402

# ======================================================================================
# Extract 2 ("rand"): edge cases, peildatum 2023-11-15, period 2023-Q3 (1-7..30-9, 92 days).
# Again written down before running the engine.
#
# D1 255555544 1859 A Basis  T1 2-1..14-7 reden 31 (307 dag 17-7 ok); T2 301 ingang 10-7, 305 begin 16-7 dated
#                            14-7 (before the begin: on time), open. Gap of ONE day (15-7): two trajecten, two
#                            episodes. Recidive yes; afschaling noemer (z1 -> z1). Wacht T2 = 6. 194 d.
# D2 333333317 0197 B VGroep 1-3..15-8 reden 31 (168 d), then B Basis (IAJ) from 16-8 (ingang 14-8, wacht 2), open:
#                            other segment = new traject, but seamless = same episode (no recidive); step-down z3->z1.
# D3 411111085 1859 A Basis 305 begin 5-7 BEFORE toewijzing ingang 10-7 (wacht -5 -> floored 0), 307 20-9 reden 33;
#                     A Spec 1-8..31-8 (305 dag 8-8: 5 wd ok; 307 31-8 dag 8-9: 6 wd LATE) reden 31.
#                            One traject 5-7..20-9 = 78 d, reden of the last 307 = 33. Zorgdagen 78 + 31 (two
#                            sub-segments count separately).
# D4 488888852 1859 A Basis  305 1-6, verkorting (05) to 20-8, no 307: care stops 20-8, traject stays open
#                            (no uitstroom); zonder_stop (einddatum 20-8 in Q3).
# D5 566666625 1859 A Ondersteuning (wmo) 1-2..31-8, WMO588 reden 31 = verhuizing = OVERIG (not volgens plan). 212 d.
# D6 333333317 0197 B Ondersteuning (wmo, same person as D2) 3-7..29-9 reden 19 (volgens plan), 89 d. New in wmo
#                            although in jeugd care. 305 dag 11-7 = 6 wd LATE.
# D7 644444393 1859 A Basis  301 ingang 3-7; its 305 is cancelled (status 3): no care, zonder_start.
# D8 722222166 1859 A Basis 3-4..28-7 reden 31 (117 d) and, in parallel, B VGroep 3-5..11-8 reden 35 (103 d);
#                            one episode 3-4..11-8 ending at B (reden 35). Back at A Basis 20-10 (84 d after 28-7,
#                            70 d after 11-8): recidive (B) and afschaling for both trajecten (A: z1->z1 no, B: z3->z1 yes).
# Contracts: K1 A 1859 Jeugd Basis 2023-08-01..2024-07-31, 2 plekken x 36.500 (dagprijs 100), voorschotten file:
#            6.000 for Aug and 6.000 for Sep. K2 B 0197 Verblijf Groep 2023, 1 plek x 36.500 (dagprijs 100), no
#            voorschot rows -> plekken x plekprijs x days / 365.
#
# | kpi (2023-Q3) | regio | A | B |
# |---|---|---|---|
# | instroom | 4: D1T2, D2T2, D3, D6 | 2 | 2 |
# | instroom_nieuw | 2: D3, D6 | 1 | 1 |
# | uitstroom | 7: D1T1, D2T1, D3, D5, D6, D8A, D8B | 4 | 3 |
# | uitstroom_volgens_plan | 4/7 (D1T1, D2T1, D6, D8A; D5 wmo 31 is not) | 2/4 | 2/3 |
# | doorlooptijd | 78,89,103,[117],168,194,212: median 117, mean 961/7, p80 168+0,8*26 = 188,8 | 78,117,194,212: 155,5 / 150,25 / 194+0,4*18 = 201,2 | 89,103,168: 103 / 120 / 103+0,6*65 = 142 |
# | lopend 30-9 | 2 (D1, D2) | 1 | 1 |
# | zorgdagen | 564 = D1 91 + D2 46+46 + D3 78+31 + D4 51 + D5 62 + D6 89 + D8 28+42 | 341 | 223 |
# | wachttijd | 0,0,2,6 -> 1 | D3 0, D1 6 -> 3 (unfloored: 0,5) | 0,2 -> 1 |
# | recidive | 2/5 (D1, D8 of D1, D3, D5, D6, D8), voorlopig | 1/3 (D1 of D1, D3, D5) voorlopig | 1/2 (D8 of D6, D8) voorlopig |
# | afschaling | 2/4 (D2, D8B of D1T1, D2T1, D8A, D8B); voorlopig: D3 ended 20-9, +90 > peildatum | 0/2 | 2/2 |
# | benutting | K1 132 (D1 61 + D3 51 + D4 20, care before 1-8 is outside K1) / 2*61 ; K2 46 / 1*92 -> 178/214 | 132/122 | 46/92 |
# | zorgkosten | 132*100 + 46*100 = 17800 | 13200 | 4600 |
# | voorschot | 12000 (file) + 36500*92/365 = 9200 -> 21200 | 12000 | 9200 |
# | saldo_afrekening | 21200 - 17800 = 3400 | -1200 | 4600 |
# | tijdig_305 | 4/5 (D6 late; D7 cancelled, not counted) | 3/3 | 1/2 |
# | tijdig_307 | 7/8 (D3 Spec late) | 4/5 | 3/3 |
# | zonder_start | 1 (D7) | 1 | 0 |
# | zonder_stop | 1 (D4) | 1 | 0 |
# | zorgdagen 2023 | 1315 = D1 194+123 + D2 168+92 + D3 109 + D4 81 + D5 212 + D6 89 + D8 117+103+27 (open care to 15-11) | | |

PEILDATUM = date(2024, 9, 30)
PEILDATUM_RAND = date(2023, 11, 15)
A, B, C = "01234567", "87654321", "11223344"

KOP = (
    "bericht_type;bericht_id;dagtekening;gemeente;aanbieder;bsn;toewijzingnummer;"
    "product_categorie;product_code;ingangsdatum;einddatum;reden_wijziging;begindatum;"
    "einddatum_zorg;reden_beeindiging;status_aanlevering"
)

# fmt: off
# type, dagtekening, gemeente, aanbieder, bsn, toewijzingnr, product, ingang, eind, reden_w, begin, eind_zorg, reden_b, status
BERICHTEN = [
    # C1: verlenging, 307 volgens plan
    ("JW301", "2023-01-02", "1859", A, "123456782", "T1001", "54Z01", "2023-01-09", "2023-06-30", "", "", "", "", ""),
    ("JW305", "2023-01-20", "1859", A, "123456782", "T1001", "54Z01", "2023-01-09", "", "", "2023-01-16", "", "", "1"),
    ("JW301", "2023-06-20", "1859", A, "123456782", "T1001", "54Z01", "2023-01-09", "2023-12-31", "04", "", "", "", ""),
    ("JW307", "2023-10-06", "1859", A, "123456782", "T1001", "54Z01", "2023-01-09", "", "", "2023-01-16", "2023-09-30", "31", "1"),
    # C2: GWV at B, then step-down to Basis at A within 90 days
    ("JW301", "2022-10-03", "0197", B, "111222333", "T2001", "43Z01", "2022-10-10", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2022-10-14", "0197", B, "111222333", "T2001", "43Z01", "2022-10-10", "", "", "2022-10-10", "", "", "1"),
    ("JW307", "2023-03-10", "0197", B, "111222333", "T2001", "43Z01", "2022-10-10", "", "", "2022-10-10", "2023-03-03", "31", "1"),
    ("JW301", "2023-04-03", "0197", A, "111222333", "T2002", "54Z01", "2023-04-11", "2023-09-30", "", "", "", "", ""),
    ("JW305", "2023-04-21", "0197", A, "111222333", "T2002", "54Z01", "2023-04-11", "", "", "2023-04-14", "", "", "1"),
    ("JW307", "2023-10-09", "0197", A, "111222333", "T2002", "54Z01", "2023-04-11", "", "", "2023-04-14", "2023-09-29", "32", "1"),
    # C3: long stay at B, overlapping toewijzingen, first without 307
    ("JW301", "2022-06-20", "0197", B, "111111110", "T3001", "43Z01", "2022-07-01", "2023-06-30", "", "", "", "", ""),
    ("JW305", "2022-07-05", "0197", B, "111111110", "T3001", "43Z01", "2022-07-01", "", "", "2022-07-01", "", "", "1"),
    ("JW301", "2023-05-25", "0197", B, "111111110", "T3002", "43Z01", "2023-06-01", "", "", "", "", "", ""),
    ("JW305", "2023-06-07", "0197", B, "111111110", "T3002", "43Z01", "2023-06-01", "", "", "2023-06-01", "", "", "1"),
    # C4: open trajectory; 305 without toewijzingnummer; Koningsdag
    ("JW301", "2023-04-17", "1859", A, "177777771", "T4001", "54Z01", "2023-04-20", "", "", "", "", "", ""),
    ("JW305", "2023-05-02", "1859", A, "177777771", "", "54Z01", "2023-04-20", "", "", "2023-04-24", "", "", "1"),
    # C5: care in 2022, return within 365 days; Hemelvaart makes the 305 late
    ("JW301", "2022-02-01", "1859", A, "255555544", "T5001", "54Z01", "2022-02-07", "2022-12-31", "", "", "", "", ""),
    ("JW305", "2022-02-10", "1859", A, "255555544", "T5001", "54Z01", "2022-02-07", "", "", "2022-02-07", "", "", "1"),
    ("JW307", "2022-11-04", "1859", A, "255555544", "T5001", "54Z01", "2022-02-07", "", "", "2022-02-07", "2022-10-31", "31", "1"),
    ("JW301", "2023-05-08", "1859", A, "255555544", "T5002", "54Z01", "2023-05-10", "2023-11-30", "", "", "", "", ""),
    ("JW305", "2023-05-24", "1859", A, "255555544", "T5002", "54Z01", "2023-05-10", "", "", "2023-05-15", "", "", "1"),
    ("JW307", "2023-12-04", "1859", A, "255555544", "T5002", "54Z01", "2023-05-10", "", "", "2023-05-15", "2023-11-30", "31", "1"),
    # C6: seamless provider switch A -> C
    ("JW301", "2022-12-01", "1859", A, "333333317", "T6001", "54Z02", "2023-01-01", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2023-01-09", "1859", A, "333333317", "T6001", "54Z02", "2023-01-01", "", "", "2023-01-02", "", "", "1"),
    ("JW307", "2023-04-14", "1859", A, "333333317", "T6001", "54Z02", "2023-01-01", "", "", "2023-01-02", "2023-03-31", "34", "1"),
    ("JW301", "2023-03-25", "1859", C, "333333317", "T6002", "54Z02", "2023-04-01", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2023-04-06", "1859", C, "333333317", "T6002", "54Z02", "2023-04-01", "", "", "2023-04-01", "", "", "1"),
    ("JW307", "2023-08-04", "1859", C, "333333317", "T6002", "54Z02", "2023-04-01", "", "", "2023-04-01", "2023-07-31", "31", "1"),
    # C7: death; Pinkstermaandag
    ("JW301", "2022-11-01", "1859", A, "411111085", "T7001", "54Z02", "2022-11-07", "2023-10-31", "", "", "", "", ""),
    ("JW305", "2022-11-10", "1859", A, "411111085", "T7001", "54Z02", "2022-11-07", "", "", "2022-11-07", "", "", "1"),
    ("JW307", "2023-06-05", "1859", A, "411111085", "T7001", "54Z02", "2022-11-07", "", "", "2022-11-07", "2023-05-26", "02", "1"),
    # C8: return after more than 365 days (new client), recidive exactly at end + 365
    ("JW301", "2021-09-01", "1859", A, "488888852", "T8001", "54Z01", "2021-09-01", "2022-12-31", "", "", "", "", ""),
    ("JW305", "2021-09-03", "1859", A, "488888852", "T8001", "54Z01", "2021-09-01", "", "", "2021-09-01", "", "", "1"),
    ("JW307", "2022-04-04", "1859", A, "488888852", "T8001", "54Z01", "2021-09-01", "", "", "2021-09-01", "2022-03-31", "31", "1"),
    ("JW301", "2023-03-20", "1859", A, "488888852", "T8002", "54Z01", "2023-03-27", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2023-04-05", "1859", A, "488888852", "T8002", "54Z01", "2023-03-27", "", "", "2023-04-01", "", "", "1"),
    ("JW307", "2023-07-07", "1859", A, "488888852", "T8002", "54Z01", "2023-03-27", "", "", "2023-04-01", "2023-06-30", "31", "1"),
    ("JW301", "2024-06-20", "1859", A, "488888852", "T8003", "54Z01", "2024-06-24", "2024-12-31", "", "", "", "", ""),
    ("JW305", "2024-07-01", "1859", A, "488888852", "T8003", "54Z01", "2024-06-24", "", "", "2024-06-29", "", "", "1"),
    # C9: return at end + 366 (not recidive)
    ("JW301", "2022-08-01", "1859", A, "566666625", "T9001", "54Z01", "2022-08-01", "2023-07-31", "", "", "", "", ""),
    ("JW305", "2022-08-05", "1859", A, "566666625", "T9001", "54Z01", "2022-08-01", "", "", "2022-08-01", "", "", "1"),
    ("JW307", "2023-03-08", "1859", A, "566666625", "T9001", "54Z01", "2022-08-01", "", "", "2022-08-01", "2023-02-28", "33", "1"),
    ("JW301", "2024-02-20", "1859", A, "566666625", "T9002", "54Z01", "2024-02-26", "2024-12-31", "", "", "", "", ""),
    ("JW305", "2024-03-04", "1859", A, "566666625", "T9002", "54Z01", "2024-02-26", "", "", "2024-02-29", "", "", "1"),
    # C10: Wmo, start just before Christmas, late 305
    ("WMO301", "2023-12-11", "1859", A, "644444393", "T10001", "02Z01", "2023-12-18", "2024-12-31", "", "", "", "", ""),
    ("WMO305", "2024-01-04", "1859", A, "644444393", "T10001", "02Z01", "2023-12-18", "", "", "2023-12-22", "", "", "1"),
    # C11: toewijzing without start; another voided by reden 13
    ("JW301", "2023-08-25", "0197", B, "722222166", "T11001", "43Z01", "2023-09-01", "2023-12-31", "", "", "", "", ""),
    ("JW301", "2023-07-25", "0197", B, "722222166", "T11002", "43Z01", "2023-08-01", "2023-12-31", "", "", "", "", ""),
    ("JW301", "2023-07-28", "0197", B, "722222166", "T11002", "43Z01", "2023-08-01", "2023-12-31", "13", "", "", "", ""),
    # C12: 305 replaced (status 2), 307 cancelled (status 3)
    ("JW301", "2023-02-01", "1859", A, "799999933", "T12001", "54Z01", "2023-02-06", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2023-02-10", "1859", A, "799999933", "T12001", "54Z01", "2023-02-06", "", "", "2023-02-06", "", "", "1"),
    ("JW305", "2023-02-20", "1859", A, "799999933", "T12001", "54Z01", "2023-02-06", "", "", "2023-02-13", "", "", "2"),
    ("JW307", "2023-07-03", "1859", A, "799999933", "T12001", "54Z01", "2023-02-06", "", "", "2023-02-13", "2023-06-30", "31", "1"),
    ("JW307", "2023-07-10", "1859", A, "799999933", "T12001", "54Z01", "2023-02-06", "", "", "2023-02-13", "2023-06-30", "31", "3"),
]

BERICHTEN_RAND = [
    # D1: gap of one day between two trajecten; 305 dated before the begin
    ("JW301", "2022-12-28", "1859", A, "255555544", "U101", "54Z01", "2023-01-02", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2023-01-03", "1859", A, "255555544", "U101", "54Z01", "2023-01-02", "", "", "2023-01-02", "", "", "1"),
    ("JW307", "2023-07-17", "1859", A, "255555544", "U101", "54Z01", "2023-01-02", "", "", "2023-01-02", "2023-07-14", "31", "1"),
    ("JW301", "2023-07-05", "1859", A, "255555544", "U102", "54Z01", "2023-07-10", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2023-07-14", "1859", A, "255555544", "U102", "54Z01", "2023-07-10", "", "", "2023-07-16", "", "", "1"),
    # D2: GWV -> IAJ at the same provider, seamless (step-down, one episode)
    ("JW301", "2023-02-20", "0197", B, "333333317", "U201", "43Z01", "2023-03-01", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2023-03-02", "0197", B, "333333317", "U201", "43Z01", "2023-03-01", "", "", "2023-03-01", "", "", "1"),
    ("JW307", "2023-08-16", "0197", B, "333333317", "U201", "43Z01", "2023-03-01", "", "", "2023-03-01", "2023-08-15", "31", "1"),
    ("JW301", "2023-08-10", "0197", B, "333333317", "U202", "54Z01", "2023-08-14", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2023-08-17", "0197", B, "333333317", "U202", "54Z01", "2023-08-14", "", "", "2023-08-16", "", "", "1"),
    # D3: two sub-segments in parallel at A; start before the toewijzing ingang
    ("JW301", "2023-07-03", "1859", A, "411111085", "U301", "54Z01", "2023-07-10", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2023-07-06", "1859", A, "411111085", "U301", "54Z01", "2023-07-10", "", "", "2023-07-05", "", "", "1"),
    ("JW307", "2023-09-21", "1859", A, "411111085", "U301", "54Z01", "2023-07-10", "", "", "2023-07-05", "2023-09-20", "33", "1"),
    ("JW301", "2023-07-25", "1859", A, "411111085", "U302", "54Z02", "2023-08-01", "2023-08-31", "", "", "", "", ""),
    ("JW305", "2023-08-08", "1859", A, "411111085", "U302", "54Z02", "2023-08-01", "", "", "2023-08-01", "", "", "1"),
    ("JW307", "2023-09-08", "1859", A, "411111085", "U302", "54Z02", "2023-08-01", "", "", "2023-08-01", "2023-08-31", "31", "1"),
    # D4: verkorting, no 307
    ("JW301", "2023-05-25", "1859", A, "488888852", "U401", "54Z01", "2023-06-01", "", "", "", "", "", ""),
    ("JW305", "2023-06-02", "1859", A, "488888852", "U401", "54Z01", "2023-06-01", "", "", "2023-06-01", "", "", "1"),
    ("JW301", "2023-08-10", "1859", A, "488888852", "U401", "54Z01", "2023-06-01", "2023-08-20", "05", "", "", "", ""),
    # D5: Wmo, reden 31 = verhuizing
    ("WMO301", "2023-01-25", "1859", A, "566666625", "U501", "02Z01", "2023-02-01", "2023-12-31", "", "", "", "", ""),
    ("WMO305", "2023-02-02", "1859", A, "566666625", "U501", "02Z01", "2023-02-01", "", "", "2023-02-01", "", "", "1"),
    ("WMO307", "2023-09-01", "1859", A, "566666625", "U501", "02Z01", "2023-02-01", "", "", "2023-02-01", "2023-08-31", "31", "1"),
    # D6: Wmo for D2's client, reden 19 = volgens plan; late 305
    ("WMO301", "2023-06-28", "0197", B, "333333317", "U601", "02Z01", "2023-07-03", "2023-12-31", "", "", "", "", ""),
    ("WMO305", "2023-07-11", "0197", B, "333333317", "U601", "02Z01", "2023-07-03", "", "", "2023-07-03", "", "", "1"),
    ("WMO307", "2023-10-02", "0197", B, "333333317", "U601", "02Z01", "2023-07-03", "", "", "2023-07-03", "2023-09-29", "19", "1"),
    # D7: 305 cancelled -> toewijzing without start
    ("JW301", "2023-06-28", "1859", A, "644444393", "U701", "54Z01", "2023-07-03", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2023-07-04", "1859", A, "644444393", "U701", "54Z01", "2023-07-03", "", "", "2023-07-03", "", "", "1"),
    ("JW305", "2023-07-10", "1859", A, "644444393", "U701", "54Z01", "2023-07-03", "", "", "2023-07-03", "", "", "3"),
    # D8: parallel A and B, one episode ending at B; back at A after 70 days
    ("JW301", "2023-03-28", "1859", A, "722222166", "U801", "54Z01", "2023-04-03", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2023-04-04", "1859", A, "722222166", "U801", "54Z01", "2023-04-03", "", "", "2023-04-03", "", "", "1"),
    ("JW307", "2023-07-31", "1859", A, "722222166", "U801", "54Z01", "2023-04-03", "", "", "2023-04-03", "2023-07-28", "31", "1"),
    ("JW301", "2023-04-25", "1859", B, "722222166", "U802", "43Z01", "2023-05-01", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2023-05-02", "1859", B, "722222166", "U802", "43Z01", "2023-05-01", "", "", "2023-05-01", "", "", "1"),
    ("JW307", "2023-08-14", "1859", B, "722222166", "U802", "43Z01", "2023-05-01", "", "", "2023-05-01", "2023-08-11", "35", "1"),
    ("JW301", "2023-10-16", "1859", A, "722222166", "U803", "54Z01", "2023-10-20", "2023-12-31", "", "", "", "", ""),
    ("JW305", "2023-10-23", "1859", A, "722222166", "U803", "54Z01", "2023-10-20", "", "", "2023-10-20", "", "", "1"),
]
# fmt: on

PRODUCTEN = """product_code;product_categorie;subsegment;segment;domein;zwaarte
54Z01;54;Jeugd Basis;IAJ;jeugd;1
54Z02;54;Jeugd Specialistisch;IAJ;jeugd;2
43Z01;43;Verblijf Groep;GWV;jeugd;3
02Z01;02;Ondersteuning;IO;wmo;1
"""

AANBIEDERS = f"""aanbieder;naam;grootte
{A};Aanbieder A;regulier
{B};Aanbieder B;regulier
{C};Aanbieder C;klein
"""

CONTRACTEN = f"""aanbieder;gemeente;subsegment;geldig_van;geldig_tot;plekken;plekprijs
{A};1859;Jeugd Basis;2023-01-01;2023-12-31;4;14600
{B};0197;Verblijf Groep;2022-07-01;2023-06-30;1;73000
{B};0197;Verblijf Groep;2023-07-01;2024-06-30;2;76650
{A};1859;Ondersteuning;2023-01-01;2023-12-31;0.5;7300
"""

CONTRACTEN_RAND = f"""aanbieder;gemeente;subsegment;geldig_van;geldig_tot;plekken;plekprijs
{A};1859;Jeugd Basis;2023-08-01;2024-07-31;2;36500
{B};0197;Verblijf Groep;2023-01-01;2023-12-31;1;36500
"""

VOORSCHOTTEN_RAND = f"""aanbieder;gemeente;maand;bedrag
{A};1859;2023-08-01;6000
{A};1859;2023-09-01;6000
"""


def schrijf_extract(
    map_: Path,
    berichten: list[tuple[str, ...]] = BERICHTEN,
    contracten: str = CONTRACTEN,
    voorschotten: str | None = None,
) -> Path:
    """Write a hand-made extract as CSV files (';', ISO dates) into `map_`."""
    map_.mkdir(parents=True, exist_ok=True)
    regels = [KOP]
    for i, (soort, dag, gem, agb, bsn, tw, prod, *rest) in enumerate(berichten, start=1):
        regels.append(";".join((soort, f"M{i:03d}", dag, gem, agb, bsn, tw, prod[:2], prod, *rest)))
    (map_ / "berichten.csv").write_text("\n".join(regels) + "\n", encoding="utf-8")
    (map_ / "producten.csv").write_text(PRODUCTEN, encoding="utf-8")
    (map_ / "aanbieders.csv").write_text(AANBIEDERS, encoding="utf-8")
    (map_ / "contracten.csv").write_text(contracten, encoding="utf-8")
    if voorschotten is not None:
        (map_ / "voorschotten.csv").write_text(voorschotten, encoding="utf-8")
    return map_


EXTRACTEN = {
    "hand": (dict(berichten=BERICHTEN, contracten=CONTRACTEN), PEILDATUM, ("2023", "2023-Q1")),
    "rand": (
        dict(berichten=BERICHTEN_RAND, contracten=CONTRACTEN_RAND, voorschotten=VOORSCHOTTEN_RAND),
        PEILDATUM_RAND,
        ("2023-Q3", "2023"),
    ),
}

F = Fraction
GEEN = None  # no value: the group has no unit (no row, or waarde null)
ONBEKEND = None  # voorlopig not checked

# fmt: off
# (periode, aanbieder or None for the region, kpi, waarde, teller, noemer, voorlopig)
VERWACHT = [
    # ---------------- 2023, region ----------------
    ("2023", None, "instroom", 9, None, None, False),
    ("2023", None, "instroom_nieuw", 6, None, None, False),
    ("2023", None, "uitstroom", 9, None, None, False),
    ("2023", None, "uitstroom_volgens_plan", F(5, 9), 5, 9, False),
    ("2023", None, "doorlooptijd", 169, None, None, False),
    ("2023", None, "doorlooptijd_gemiddeld", F(1487, 9), None, None, False),
    ("2023", None, "doorlooptijd_p80", F(2054, 10), None, None, False),  # 201 + 0,4 * (212 - 201)
    ("2023", None, "lopend", 4, None, None, False),
    ("2023", None, "zorgdagen", 2145, None, None, False),
    ("2023", None, "wachttijd", 4, None, None, False),
    ("2023", None, "recidive", F(2, 7), 2, 7, True),  # C5 ends 30-11-2023, +365 > peildatum
    ("2023", None, "afschaling", F(1, 2), 1, 2, False),
    ("2023", None, "benutting", F(1619) / F(4383, 2), 1619, F(4383, 2), False),
    ("2023", None, "zorgkosten", 134720, None, None, False),
    ("2023", None, "voorschot", 175530, None, None, False),
    ("2023", None, "saldo_afrekening", 40810, None, None, False),
    ("2023", None, "tijdig_305", F(8, 10), 8, 10, False),
    ("2023", None, "tijdig_307", F(6, 9), 6, 9, False),
    ("2023", None, "zonder_start", 1, None, None, False),
    ("2023", None, "zonder_stop", 2, None, None, False),
    # ---------------- 2023, per aanbieder ----------------
    ("2023", A, "instroom", 8, None, None, False),
    ("2023", C, "instroom", 1, None, None, False),
    ("2023", A, "instroom_nieuw", 6, None, None, False),
    ("2023", A, "uitstroom", 7, None, None, False),
    ("2023", B, "uitstroom", 1, None, None, False),
    ("2023", C, "uitstroom", 1, None, None, False),
    ("2023", A, "uitstroom_volgens_plan", F(3, 7), 3, 7, False),
    ("2023", B, "uitstroom_volgens_plan", 1, 1, 1, False),
    ("2023", C, "uitstroom_volgens_plan", 1, 1, 1, False),
    ("2023", A, "doorlooptijd", 200, None, None, False),
    ("2023", B, "doorlooptijd", 145, None, None, False),
    ("2023", C, "doorlooptijd", 122, None, None, False),
    ("2023", A, "doorlooptijd_gemiddeld", F(1220, 7), None, None, False),
    ("2023", A, "doorlooptijd_p80", F(2098, 10), None, None, False),  # 201 + 0,8 * 11
    ("2023", A, "lopend", 3, None, None, False),
    ("2023", B, "lopend", 1, None, None, False),
    ("2023", A, "zorgdagen", 1596, None, None, False),
    ("2023", B, "zorgdagen", 427, None, None, False),
    ("2023", C, "zorgdagen", 122, None, None, False),
    ("2023", A, "wachttijd", F(9, 2), None, None, False),
    ("2023", C, "wachttijd", 0, None, None, False),
    ("2023", A, "recidive", F(1, 5), 1, 5, True),
    ("2023", B, "recidive", 1, 1, 1, False),
    ("2023", C, "recidive", 0, 0, 1, False),
    ("2023", A, "afschaling", 0, 0, 1, False),
    ("2023", B, "afschaling", 1, 1, 1, False),
    ("2023", C, "afschaling", GEEN, None, None, False),
    ("2023", A, "benutting", F(1192) / F(16425, 10), 1192, F(16425, 10), False),
    ("2023", B, "benutting", F(427, 549), 427, 549, False),
    ("2023", A, "zorgkosten", 47480, None, None, False),
    ("2023", B, "zorgkosten", 87240, None, None, False),
    ("2023", A, "voorschot", 62050, None, None, False),
    ("2023", B, "voorschot", 113480, None, None, False),
    ("2023", A, "saldo_afrekening", 14570, None, None, False),
    ("2023", B, "saldo_afrekening", 26240, None, None, False),
    ("2023", A, "tijdig_305", F(6, 8), 6, 8, False),
    ("2023", B, "tijdig_305", 1, 1, 1, False),
    ("2023", C, "tijdig_305", 1, 1, 1, False),
    ("2023", A, "tijdig_307", F(4, 7), 4, 7, False),
    ("2023", B, "tijdig_307", 1, 1, 1, False),
    ("2023", C, "tijdig_307", 1, 1, 1, False),
    ("2023", B, "zonder_start", 1, None, None, False),
    ("2023", A, "zonder_stop", 1, None, None, False),
    ("2023", B, "zonder_stop", 1, None, None, False),
    # ---------------- 2023-Q1, region ----------------
    ("2023-Q1", None, "instroom", 3, None, None, False),
    ("2023-Q1", None, "instroom_nieuw", 3, None, None, False),
    ("2023-Q1", None, "uitstroom", 3, None, None, False),
    ("2023-Q1", None, "uitstroom_volgens_plan", F(1, 3), 1, 3, False),
    ("2023-Q1", None, "doorlooptijd", 145, None, None, False),
    ("2023-Q1", None, "doorlooptijd_gemiddeld", F(446, 3), None, None, False),
    ("2023-Q1", None, "doorlooptijd_p80", F(1852, 10), None, None, False),  # 145 + 0,6 * 67
    ("2023-Q1", None, "lopend", 5, None, None, False),
    ("2023-Q1", None, "zorgdagen", 512, None, None, False),
    ("2023-Q1", None, "wachttijd", 7, None, None, False),
    ("2023-Q1", None, "recidive", F(1, 2), 1, 2, False),
    ("2023-Q1", None, "afschaling", F(1, 2), 1, 2, False),
    ("2023-Q1", None, "benutting", F(333, 495), 333, 495, False),
    ("2023-Q1", None, "zorgkosten", 37640, None, None, False),
    ("2023-Q1", None, "voorschot", 33300, None, None, False),
    ("2023-Q1", None, "saldo_afrekening", -4340, None, None, False),
    ("2023-Q1", None, "tijdig_305", 1, 3, 3, False),
    ("2023-Q1", None, "tijdig_307", F(1, 3), 1, 3, False),
    # Hand value was 1 / 2 (stock at peildatum); revised to the period reading, see the table above.
    ("2023-Q1", None, "zonder_start", 0, None, None, False),
    ("2023-Q1", None, "zonder_stop", 0, None, None, False),
    # ---------------- 2023-Q1, per aanbieder ----------------
    ("2023-Q1", A, "instroom", 3, None, None, False),
    ("2023-Q1", A, "uitstroom", 2, None, None, False),
    ("2023-Q1", B, "uitstroom", 1, None, None, False),
    ("2023-Q1", A, "uitstroom_volgens_plan", 0, 0, 2, False),
    ("2023-Q1", A, "doorlooptijd", F(301, 2), None, None, False),
    ("2023-Q1", A, "doorlooptijd_p80", F(1874, 10), None, None, False),  # 89 + 0,8 * 123
    ("2023-Q1", A, "lopend", 4, None, None, False),
    ("2023-Q1", B, "lopend", 1, None, None, False),
    ("2023-Q1", A, "zorgdagen", 360, None, None, False),
    ("2023-Q1", B, "zorgdagen", 152, None, None, False),
    ("2023-Q1", A, "recidive", 0, 0, 1, False),
    ("2023-Q1", B, "recidive", 1, 1, 1, False),
    ("2023-Q1", A, "benutting", F(181, 405), 181, 405, False),
    ("2023-Q1", B, "benutting", F(152, 90), 152, 90, False),
    ("2023-Q1", A, "voorschot", 15300, None, None, False),
    ("2023-Q1", B, "voorschot", 18000, None, None, False),
    ("2023-Q1", A, "saldo_afrekening", 8060, None, None, False),
    ("2023-Q1", B, "saldo_afrekening", -12400, None, None, False),
    ("2023-Q1", A, "tijdig_307", 0, 0, 2, False),
    ("2023-Q1", B, "tijdig_307", 1, 1, 1, False),
]

VERWACHT_RAND = [
    # ---------------- extract "rand", 2023-Q3, region ----------------
    ("2023-Q3", None, "instroom", 4, None, None, False),
    ("2023-Q3", None, "instroom_nieuw", 2, None, None, False),
    ("2023-Q3", None, "uitstroom", 7, None, None, False),
    ("2023-Q3", None, "uitstroom_volgens_plan", F(4, 7), 4, 7, False),
    ("2023-Q3", None, "doorlooptijd", 117, None, None, False),
    ("2023-Q3", None, "doorlooptijd_gemiddeld", F(961, 7), None, None, False),
    ("2023-Q3", None, "doorlooptijd_p80", F(1888, 10), None, None, False),  # 168 + 0,8 * 26
    ("2023-Q3", None, "lopend", 2, None, None, False),
    ("2023-Q3", None, "zorgdagen", 564, None, None, False),
    ("2023-Q3", None, "wachttijd", 1, None, None, False),
    ("2023-Q3", None, "recidive", F(2, 5), 2, 5, True),
    ("2023-Q3", None, "afschaling", F(2, 4), 2, 4, True),
    ("2023-Q3", None, "benutting", F(178, 214), 178, 214, False),
    ("2023-Q3", None, "zorgkosten", 17800, None, None, False),
    ("2023-Q3", None, "voorschot", 21200, None, None, False),
    ("2023-Q3", None, "saldo_afrekening", 3400, None, None, False),
    ("2023-Q3", None, "tijdig_305", F(4, 5), 4, 5, False),
    ("2023-Q3", None, "tijdig_307", F(7, 8), 7, 8, False),
    ("2023-Q3", None, "zonder_start", 1, None, None, False),
    ("2023-Q3", None, "zonder_stop", 1, None, None, False),
    # ---------------- extract "rand", 2023-Q3, per aanbieder ----------------
    ("2023-Q3", A, "instroom", 2, None, None, False),
    ("2023-Q3", B, "instroom", 2, None, None, False),
    ("2023-Q3", A, "instroom_nieuw", 1, None, None, False),
    ("2023-Q3", B, "instroom_nieuw", 1, None, None, False),
    ("2023-Q3", A, "uitstroom", 4, None, None, False),
    ("2023-Q3", B, "uitstroom", 3, None, None, False),
    ("2023-Q3", A, "uitstroom_volgens_plan", F(2, 4), 2, 4, False),
    ("2023-Q3", B, "uitstroom_volgens_plan", F(2, 3), 2, 3, False),
    ("2023-Q3", A, "doorlooptijd", F(311, 2), None, None, False),
    ("2023-Q3", B, "doorlooptijd", 103, None, None, False),
    ("2023-Q3", A, "doorlooptijd_gemiddeld", F(601, 4), None, None, False),
    ("2023-Q3", B, "doorlooptijd_gemiddeld", 120, None, None, False),
    ("2023-Q3", A, "doorlooptijd_p80", F(2012, 10), None, None, False),  # 194 + 0,4 * 18
    ("2023-Q3", B, "doorlooptijd_p80", 142, None, None, False),  # 103 + 0,6 * 65
    ("2023-Q3", A, "lopend", 1, None, None, False),
    ("2023-Q3", B, "lopend", 1, None, None, False),
    ("2023-Q3", A, "zorgdagen", 341, None, None, False),
    ("2023-Q3", B, "zorgdagen", 223, None, None, False),
    ("2023-Q3", A, "wachttijd", 3, None, None, False),  # D3 floored at 0, D1 6
    ("2023-Q3", B, "wachttijd", 1, None, None, False),
    ("2023-Q3", A, "recidive", F(1, 3), 1, 3, True),
    ("2023-Q3", B, "recidive", F(1, 2), 1, 2, True),
    ("2023-Q3", A, "afschaling", 0, 0, 2, True),
    ("2023-Q3", B, "afschaling", 1, 2, 2, True),
    ("2023-Q3", A, "benutting", F(132, 122), 132, 122, False),
    ("2023-Q3", B, "benutting", F(1, 2), 46, 92, False),
    ("2023-Q3", A, "zorgkosten", 13200, None, None, False),
    ("2023-Q3", B, "zorgkosten", 4600, None, None, False),
    ("2023-Q3", A, "voorschot", 12000, None, None, False),
    ("2023-Q3", B, "voorschot", 9200, None, None, False),
    ("2023-Q3", A, "saldo_afrekening", -1200, None, None, False),
    ("2023-Q3", B, "saldo_afrekening", 4600, None, None, False),
    ("2023-Q3", A, "tijdig_305", 1, 3, 3, False),
    ("2023-Q3", B, "tijdig_305", F(1, 2), 1, 2, False),
    ("2023-Q3", A, "tijdig_307", F(4, 5), 4, 5, False),
    ("2023-Q3", B, "tijdig_307", 1, 3, 3, False),
    ("2023-Q3", A, "zonder_start", 1, None, None, False),
    ("2023-Q3", A, "zonder_stop", 1, None, None, False),
    # ---------------- extract "rand", 2023 (ends after the peildatum) ----------------
    ("2023", None, "zorgdagen", 1315, None, None, ONBEKEND),
]
# fmt: on

GEVALLEN = [("hand", *g) for g in VERWACHT] + [("rand", *g) for g in VERWACHT_RAND]


@pytest.fixture(scope="module")
def uitkomsten(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple, pl.DataFrame]:
    uit: dict[tuple, pl.DataFrame] = {}
    for naam, (tabellen, peildatum, perioden) in EXTRACTEN.items():
        basis = tmp_path_factory.mktemp(naam)
        extract = schrijf_extract(basis / "extract", **tabellen)
        resultaat = laad_extract(extract, basis / "wh.duckdb")
        assert resultaat.rijen["quarantaine"] == 0, resultaat.quarantaine_per_reden
        con = duckdb.connect(str(basis / "wh.duckdb"), read_only=True)
        try:
            for periode in perioden:
                for per in (False, True):
                    uit[naam, periode, per] = bereken(
                        con, periode, per=["aanbieder"] if per else [], peildatum=peildatum
                    )
        finally:
            con.close()
    return uit


def _rij(df: pl.DataFrame, kpi: str, aanbieder: str | None) -> dict | None:
    sel = df.filter(pl.col("kpi") == kpi)
    sel = sel.filter(
        pl.col("aanbieder").is_null() if aanbieder is None else pl.col("aanbieder") == aanbieder
    )
    assert sel.height <= 1, sel
    return sel.row(0, named=True) if sel.height else None


def _gelijk(gevonden: Decimal | float | int | None, verwacht: Fraction | int) -> bool:
    return gevonden is not None and abs(Fraction(str(gevonden)) - Fraction(verwacht)) < F(1, 10**6)


@pytest.mark.parametrize(
    ("extract", "periode", "aanbieder", "kpi", "waarde", "teller", "noemer", "voorlopig"),
    GEVALLEN,
    ids=[f"{e}-{p}-{a or 'regio'}-{k}" for e, p, a, k, *_ in GEVALLEN],
)
def test_handwaarde(
    uitkomsten, extract, periode, aanbieder, kpi, waarde, teller, noemer, voorlopig
):
    df = uitkomsten[extract, periode, aanbieder is not None]
    rij = _rij(df, kpi, aanbieder)
    if waarde is GEEN:
        assert rij is None or rij["waarde"] is None, rij
        return
    assert rij is not None, f"no row for {kpi} {aanbieder}"
    assert _gelijk(rij["waarde"], waarde), (rij["waarde"], waarde, rij)
    if teller is not None:
        assert _gelijk(rij["teller"], teller), (rij["teller"], teller, rij)
    if noemer is not None:
        assert _gelijk(rij["noemer"], noemer), (rij["noemer"], noemer, rij)
    if voorlopig is not ONBEKEND:
        assert bool(rij["voorlopig"]) is voorlopig, rij


if (
    __name__ == "__main__"
):  # write an extract for the CLI: python tests/test_handcontrole.py DIR [hand|rand]
    tabellen = EXTRACTEN[sys.argv[2] if len(sys.argv) > 2 else "hand"][0]
    schrijf_extract(Path(sys.argv[1]), **tabellen)
