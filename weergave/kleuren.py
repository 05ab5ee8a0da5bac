"""One palette for stoplicht and charts, readable for colour-blind users (Okabe-Ito based)."""

from __future__ import annotations

# groen / oranje / rood differ in lightness as well as hue, and always come with a symbol.
STOPLICHT_KLEUR = {
    "groen": "#009E73",
    "oranje": "#E69F00",
    "rood": "#C0392B",
    "grijs": "#B8B8B8",
}
STOPLICHT_ACHTERGROND = {
    "groen": "#CDEFE3",
    "oranje": "#FBE7BE",
    "rood": "#F5C6C0",
    "grijs": "#EEEEEE",
}
STOPLICHT_VOLGORDE = ("groen", "oranje", "rood", "grijs")

ACCENT = "#1F4E79"  # the selected provider, the region line
REEKS = ("#1F4E79", "#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#999999")
NORMBAND = "#009E73"
