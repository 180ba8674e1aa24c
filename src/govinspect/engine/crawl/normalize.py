"""URL normalisation for crawling: the URL we fetch and the key we de-duplicate on.

``crawl_url`` keeps a URL fetchable (query order kept, as some servers care) while
removing what only multiplies URLs: the fragment, default ports, upper-case hosts, dot
segments and session ids (``;jsessionid=…`` path parameters, ``PHPSESSID=…``-style query
parameters). ``url_key`` is the identity used for de-duplication: ``findings.normalize_url``
of the crawl URL (sorted query), so the crawl and the findings agree on what "one URL" is.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from urllib.parse import urlsplit, urlunsplit

from govinspect.findings import normalize_url

SESSION_PARAMS = frozenset(
    {"jsessionid", "phpsessid", "aspsessionid", "sessionid", "session_id", "sid", "cfid", "cftoken", "sessid"}
)
_PATH_SESSION_RE = re.compile(r";(?:jsessionid|phpsessid|sessionid|sid)=[^/?#]*", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def has_session_id(url: str) -> bool:
    parts = urlsplit(url)
    if _PATH_SESSION_RE.search(parts.path):
        return True
    return any(
        p.split("=", 1)[0].lower() in SESSION_PARAMS or p.lower().startswith("aspsessionid")
        for p in parts.query.split("&")
        if p
    )


def crawl_url(url: str) -> str | None:
    """The URL to fetch, or None when it is not an http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    netloc = f"{host}:{port}" if port and port != _DEFAULT_PORTS[scheme] else host
    path = _PATH_SESSION_RE.sub("", parts.path) or "/"
    if "/." in path:
        trailing = path.endswith(("/", "/.", "/.."))
        path = posixpath.normpath(path)
        path = "/" if path in (".", "//") else path
        if trailing and not path.endswith("/"):
            path += "/"
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
    query = parts.query
    if query:
        kept = [p for p in query.split("&") if p and not _is_session_param(p)]
        query = "&".join(kept)
    return urlunsplit((scheme, netloc, path, query, ""))


def _is_session_param(pair: str) -> bool:
    name = pair.split("=", 1)[0].lower()
    return name in SESSION_PARAMS or name.startswith("aspsessionid")


def url_key(url: str) -> int:
    """A 64-bit identity of a crawl URL (collision odds ~n²/2⁶⁵: 1e-9 for 190,000 URLs)."""
    digest = hashlib.blake2b(normalize_url(url).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def host_of(url: str) -> str:
    """host[:port] as ``SiteTarget.hosts`` spells it (lower case, default port dropped)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port and port != _DEFAULT_PORTS.get(parts.scheme.lower()) else host
