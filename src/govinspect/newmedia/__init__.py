"""Government new-media accounts (政务新媒体): posts ingestion and the account checks (issue 10).

``adapters`` parse feeds and imports into ``PostRecord``s (no Django), ``ingest`` stores them,
``checks`` judge one account's snapshot (no Django), ``services.inspect_accounts`` ties them
together for the inspections app, ``sandbox`` simulates the Sichuan accounts with a truth file.
"""
