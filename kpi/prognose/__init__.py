"""Steering ahead: the forecast of zorgdagen, benutting, zorgkosten and saldo to the end of a
period, the voorschotadvies, the volloop-signaal and next year's plekken (Little's law).

- `methode`: the mathematics (Kaplan–Meier, conditional survival, instroom, Little), on
  plain arrays of day numbers, so that a golden test can work it by hand.
- `eenheden`: the unit set `prognose` (one row per contract), registered in kpi/functies.py,
  that the KPI engine aggregates like any other (kpis.toml, the forecast KPIs).
- `overzicht`: the forecast per contract or any wider group with its interval, stoplicht,
  signal words, voorschotadvies arithmetic and the cumulative month series for the charts.

This package imports nothing at its top level, so that kpi/functies.py can import
`kpi.prognose.eenheden` while `overzicht` imports the engine (kpi.bereken).
"""
