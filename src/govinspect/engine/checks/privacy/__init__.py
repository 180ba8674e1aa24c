"""Personal-data checks."""
