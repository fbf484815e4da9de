"""Indicators of the theme services (see base.py)."""
