"""Link checks: links.broken."""
