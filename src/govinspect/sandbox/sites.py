"""Which sites the sandbox simulates: the Sichuan register by default, or a given list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SiteSpec:
    site_code: str
    name: str
    organizer: str
    region_code: str
    region_name: str
    category: str  # provincial_portal | provincial_department | city_portal | city_department | county_portal | other
    offers_services: bool = True
    icp: str = ""
    police_filing: str = ""

    @property
    def is_portal(self) -> bool:
        return self.category.endswith("_portal")


def register_sites() -> list[SiteSpec]:
    """One spec per site of the Sichuan register (govinspect.registry.sichuan), in register order."""
    from govinspect.registry.sichuan import sichuan_register

    data = sichuan_register()
    names = {r.code: r.name for r in data.regions}
    return [
        SiteSpec(
            site_code=s.site_code,
            name=s.name,
            organizer=s.organizer,
            region_code=s.region_code,
            region_name=names.get(s.region_code, "四川省"),
            category=s.category,
            offers_services=s.offers_services,
            icp=s.icp,
            police_filing=s.police_filing,
        )
        for s in data.sites
    ]


def spread_sample(sites: Sequence[SiteSpec], n: int) -> list[SiteSpec]:
    """``n`` sites spread over the register: the provincial portal first, then an even stride, so a
    small sandbox still mixes portals and departments of several cities. Register order is kept."""
    if n >= len(sites):
        return list(sites)
    if n <= 0:
        return []
    chosen = {0}
    step = len(sites) / n
    i = 1
    while len(chosen) < n:
        chosen.add(min(len(sites) - 1, int(i * step)))
        i += 1
    return [sites[i] for i in sorted(chosen)]
