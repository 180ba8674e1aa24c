"""Checks: small units, one a module, each with a stable id from the findings contract."""
