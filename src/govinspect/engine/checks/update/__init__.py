"""Freshness of the home page and the columns (W-V3, W-V4)."""
