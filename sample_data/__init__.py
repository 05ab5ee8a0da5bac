"""Deterministic sample extracts for Stoplicht (see README.md)."""
