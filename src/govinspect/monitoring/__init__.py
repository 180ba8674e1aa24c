"""Monitoring: scheduled jobs (probes, freshness, inspections, new media, reports), their runs,
stored availability probes, alert rules and events. Two runners share the same plain functions
in ``services``: the embedded scheduler (``scheduler``) and Celery (``tasks``)."""
