"""The inspection engine: pure Python and asyncio, no Django (enforced by a test).

fetch → parse → page checks (as pages arrive) → site checks (end of crawl) → findings.
"""
