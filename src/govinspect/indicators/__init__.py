"""The national indicators as data (catalogue.toml), validated once at load."""

from govinspect.indicators.load import Catalogue, Item, catalogue, load_catalogue

__all__ = ["Catalogue", "Item", "catalogue", "load_catalogue"]
