"""Presentation without Streamlit: display tables and Altair charts from KPI results.

Used by the dashboard pages and by the exports alike, so that a figure looks the same on screen,
on paper and on a slide. Nothing here imports Streamlit.
"""
