"""Indicators of the theme obligations (see base.py)."""
