"""URL normalisation for crawling: the URL we fetch and the key we de-duplicate on.

``crawl_url`` keeps a URL fetchable (query order kept, as some servers care) while
removing what only changes its spelling: the fragment, default ports, upper-case hosts and
dot segments. Session ids (``;jsessionid=…`` path parameters, ``PHPSESSID=…``-style query
parameters) are kept for fetching — some servers answer "not found" without them — but
``url_key``, the identity used for de-duplication, leaves them out (``findings.normalize_url``
of the URL without session ids, sorted query): a site handing out a new session id on every
page is crawled once, not forever.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from urllib.parse import urlsplit, urlunsplit

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


def _plain(url: str) -> bool:
    """Already canonical (the common case, checked with string operations only)."""
    if not url.startswith(("http://", "https://")) or "#" in url or "/." in url or "\\" in url:
        return False
    rest = url[url.index("//") + 2 :]
    end = len(rest)
    for sep in "/?":
        i = rest.find(sep)
        if 0 <= i < end:
            end = i
    host = rest[:end]
    if not host or host.lower() != host or "@" in host or " " in url:
        return False
    return not (host.endswith((":80", ":443")) or end == len(rest) or rest[end] != "/")


def crawl_url(url: str, strip_session: bool = False) -> str | None:
    """The URL to fetch, or None when it is not an http(s) URL."""
    if _plain(url) and not (strip_session and (";" in url or "?" in url)):
        return url
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
    path = (_PATH_SESSION_RE.sub("", parts.path) if strip_session else parts.path) or "/"
    if "/." in path:
        trailing = path.endswith(("/", "/.", "/.."))
        path = posixpath.normpath(path)
        path = "/" if path in (".", "//") else path
        if trailing and not path.endswith("/"):
            path += "/"
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
    query = parts.query
    if query and strip_session:
        kept = [p for p in query.split("&") if p and not _is_session_param(p)]
        query = "&".join(kept)
    return urlunsplit((scheme, netloc, path, query, ""))


def _is_session_param(pair: str) -> bool:
    name = pair.split("=", 1)[0].lower()
    return name in SESSION_PARAMS or name.startswith("aspsessionid")


def url_key(url: str) -> int:
    """A 64-bit identity of a URL, session ids left out (collision odds ~n²/2⁶⁵: 1e-9 for 190,000 URLs)."""
    bare = crawl_url(url, strip_session=True) or url
    if "?" in bare:  # query order does not matter (as in findings.normalize_url)
        base, _, query = bare.partition("?")
        bare = base + "?" + "&".join(sorted(query.split("&")))
    digest = hashlib.blake2b(bare.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def host_of(url: str) -> str:
    """host[:port] as ``SiteTarget.hosts`` spells it (lower case, default port dropped)."""
    if url.startswith(("http://", "https://")):
        rest = url[url.index("//") + 2 :]
        end = len(rest)
        for sep in "/?#":
            i = rest.find(sep)
            if 0 <= i < end:
                end = i
        host = rest[:end].lower()
        if "@" not in host and "[" not in host:
            if host.endswith(":80") and url[4] == ":":
                return host[:-3]
            if host.endswith(":443") and url[4] == "s":
                return host[:-4]
            return host
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port and port != _DEFAULT_PORTS.get(parts.scheme.lower()) else host
