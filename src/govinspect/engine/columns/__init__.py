"""Columns (栏目): discovery from navigation and home-page blocks, classification by
name (rules.toml), and reading of list pages (items, dates, pagination, Hanweb datastores).

Library code shared by the update, interaction and policy checks; it never fetches by
itself (callers pass pages or a fetch function)."""

from govinspect.engine.columns.classify import ColumnType, Rules, classify, rules
from govinspect.engine.columns.listpage import ListItem, ListPage, read_list_page

__all__ = ["ColumnType", "ListItem", "ListPage", "Rules", "classify", "read_list_page", "rules"]
