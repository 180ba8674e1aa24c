from govinspect.engine.page.model import Form, Link, Page, TextBlock

__all__ = ["Form", "Link", "Page", "TextBlock"]
