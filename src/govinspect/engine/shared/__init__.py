"""State shared by several processes of a distributed run (Celery workers on many machines).

The in-process defaults stay where they are (``fetch.politeness.Politeness``,
``checks.links.cache.LinkCache``); ``redis_backends`` holds drop-in replacements that keep
their state in Redis so the per-host polite rate and the external-link results hold across
workers. The engine imports ``redis`` here only, never Django.
"""
