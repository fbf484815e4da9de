"""Indicators of the theme made_to_measure (see base.py)."""
