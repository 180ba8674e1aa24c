"""The web interface (Chinese first; every asset served by the application itself)."""
