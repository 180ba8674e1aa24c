"""Home-page availability (W-V2)."""
