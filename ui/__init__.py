"""Streamlit-side helpers: the shared connection and cached queries. Pages stay thin."""
