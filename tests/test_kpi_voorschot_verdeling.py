"""A voorschot is paid per aanbieder and gemeente; per sub-segment it is allocated pro rata the
contract value, in cents that add up to the payment exactly."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl

from kpi import Filters, bereken
from tests.conftest import AANBIEDER_A, bericht, laad, schrijf_extract

CONTRACTEN = [
    # contract value 10 × 1.460 = 14.600 and 5 × 5.840 = 29.200: weights 1 : 2
    {"aanbieder": AANBIEDER_A, "gemeente": "0197", "subsegment": "Jeugd Basis", "geldig_van": "2023-01-01", "geldig_tot": "2023-12-31", "plekken": "10", "plekprijs": "1460"},
    {"aanbieder": AANBIEDER_A, "gemeente": "0197", "subsegment": "Jeugd Specialistisch", "geldig_van": "2023-01-01", "geldig_tot": "2023-12-31", "plekken": "5", "plekprijs": "5840"},
]  # fmt: skip
VOORSCHOTTEN = [
    {"aanbieder": AANBIEDER_A, "gemeente": "0197", "maand": "2023-03-01", "bedrag": "1000.00"}
]


def test_voorschot_verdeeld_over_subsegmenten(tmp_path: Path) -> None:
    x = schrijf_extract(
        tmp_path / "x",
        [
            bericht(
                bericht_type="JW301",
                toewijzingnummer="T1",
                dagtekening="2023-01-02",
                ingangsdatum="2023-01-02",
            )
        ],
        contracten=CONTRACTEN,
        voorschotten=VOORSCHOTTEN,
    )
    con = laad(x)
    per = bereken(con, "2023-03", per=["subsegment"], kpis=["voorschot"]).sort("subsegment")
    # € 1.000,00 = 100.000 cents in 1 : 2 → 33.333,33 and 66.666,67 cents; the left-over cent
    # goes to the larger remainder (the 2/3 part): € 333,33 + € 666,67 = € 1.000,00
    assert per.select("subsegment", "waarde").rows() == [
        ("Jeugd Basis", Decimal("333.33")),
        ("Jeugd Specialistisch", Decimal("666.67")),
    ]
    totaal = bereken(con, "2023-03", kpis=["voorschot"])["waarde"][0]
    assert totaal == Decimal("1000.00") == per["waarde"].sum()
    # a sub-segment filter sees only its own part
    alleen = bereken(con, "2023-03", filters=Filters(subsegment="Jeugd Basis"), kpis=["voorschot"])
    assert alleen.filter(pl.col("kpi") == "voorschot")["waarde"][0] == Decimal("333.33")
