"""Indicators of the theme voices (see base.py)."""
