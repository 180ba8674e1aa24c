"""REST API (DRF): same scope rules as the pages; token or session authentication."""
