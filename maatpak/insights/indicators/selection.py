"""Indicators of the theme selection (see base.py)."""
