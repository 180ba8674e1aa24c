"""What the engine is asked to inspect: a site, as the register knows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class SiteTarget:
    home_url: str
    name: str = ""
    site_code: str = ""              # 网站标识码, when the register knows it
    extra_hosts: tuple[str, ...] = ()
    organizer: str = ""
    category: str = ""               # see registry.models.SiteCategory
    offers_services: bool = True
    icp: str = ""
    police_filing: str = ""
    region_code: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def hosts(self) -> frozenset[str]:
        """host[:port] values that belong to the site (the crawl's scope)."""
        home = urlsplit(self.home_url).netloc.lower()
        return frozenset({home, *(h.lower() for h in self.extra_hosts)})
