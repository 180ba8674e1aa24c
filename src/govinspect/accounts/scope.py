"""Scope: which sites, accounts and regions a user may see. Every view, export and API
call filters through here; anything out of scope is answered as if it did not exist (404).

Regions nest by GB/T 2260 code prefix: a province owns its 2-digit prefix, a city its
4-digit prefix (county-level units and the 高新区/新区 units under it share it), a county its
6 digits.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from govinspect.accounts.models import Profile, Role
from govinspect.registry.models import Account, Region, Site

_PREFIX_LENGTH = {"province": 2, "city": 4, "county": 6}


def region_prefix(region: Region) -> str:
    return region.code[: _PREFIX_LENGTH.get(region.level, 6)]


def profile_of(user) -> Profile | None:  # type: ignore[no-untyped-def]
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.govinspect_profile
    except Profile.DoesNotExist:
        return None


def is_province_admin(user) -> bool:  # type: ignore[no-untyped-def]
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    profile = profile_of(user)
    return bool(profile and profile.role == Role.PROVINCE_ADMIN and profile.region_id is None)


def scope_q(user, region_field: str, organizer_field: str) -> Q | None:  # type: ignore[no-untyped-def]
    """A filter for objects with a region and an organizer; None means everything,
    and a user without a role gets a filter that matches nothing."""
    if is_province_admin(user):
        return None
    profile = profile_of(user)
    if profile is None:
        return Q(pk__in=[])
    if profile.role == Role.ORGANIZER:
        return Q(**{f"{organizer_field}_id": profile.organizer_id})
    if profile.region_id is None:  # a province admin scoped to the whole province
        return None
    return Q(**{f"{region_field}__code__startswith": region_prefix(profile.region)})


def restrict(queryset: QuerySet, user, via: str = "") -> QuerySet:  # type: ignore[no-untyped-def]
    """Restrict any queryset whose rows reach a site or an account with region and organizer.

    ``via`` is the path to the object carrying ``region`` and ``organizer`` ("" for Site or
    Account themselves, "site" for a model with a site FK)."""
    prefix = f"{via}__" if via else ""
    q = scope_q(user, f"{prefix}region", f"{prefix}organizer")
    return queryset if q is None else queryset.filter(q)


def visible_sites(user) -> QuerySet[Site]:  # type: ignore[no-untyped-def]
    return restrict(Site.objects.all(), user)


def visible_accounts(user) -> QuerySet[Account]:  # type: ignore[no-untyped-def]
    return restrict(Account.objects.all(), user)


def restrict_by_site(queryset: QuerySet, user, site_field: str = "site") -> QuerySet:  # type: ignore[no-untyped-def]
    return restrict(queryset, user, via=site_field)


def visible_regions(user) -> QuerySet[Region]:  # type: ignore[no-untyped-def]
    if is_province_admin(user):
        return Region.objects.all()
    profile = profile_of(user)
    if profile is None:
        return Region.objects.none()
    if profile.role == Role.ORGANIZER:
        return Region.objects.filter(pk=profile.organizer.region_id)
    if profile.region_id is None:
        return Region.objects.all()
    return Region.objects.filter(code__startswith=region_prefix(profile.region))


def can_review(user) -> bool:  # type: ignore[no-untyped-def]
    """Confirm or dismiss findings (within scope)."""
    profile = profile_of(user)
    return is_province_admin(user) or bool(profile and profile.role in (Role.CITY_ADMIN, Role.INSPECTOR))


def can_edit_register(user) -> bool:  # type: ignore[no-untyped-def]
    profile = profile_of(user)
    return is_province_admin(user) or bool(profile and profile.role == Role.CITY_ADMIN)
