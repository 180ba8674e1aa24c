"""The one exception tree of govinspect.

::

    GovinspectError
    ├─ ConfigError                 bad setting, catalogue or lexicon (fails at startup)
    ├─ ImportRowError              (.row, .column, .sheet) one bad row of an imported file
    │  └─ ImportRejected           (.errors) a whole import refused, nothing written
    └─ EngineError
       ├─ FetchError               (.url, .attempt)
       │  ├─ TransientError        a retry may help: Timeout, ConnectError, ServerBusy
       │  └─ PermanentError        a retry will not help: DNSError, TLSError,
       │                           TooManyRedirects, TooLarge, DecompressionBomb
       ├─ DecodingError            bytes that no encoding explains
       └─ CheckError               (.check_id, .url) a check crashed; logged, never fatal

Control flow, not failures: ``CheckDisabled``, ``SkipURL``, ``StopSite``.

A broken link is a finding (``detail.error``), never an exception. Third-party
exceptions (aiohttp, lxml, openpyxl …) are translated where they enter: in the
transport, the parsers and the importers.
"""

from __future__ import annotations


class GovinspectError(Exception):
    """Base of every error govinspect raises on purpose."""


class ConfigError(GovinspectError):
    """A setting, catalogue, lexicon or province file is invalid."""


class ImportRowError(GovinspectError):
    """One row of an imported file is invalid. Rows are numbered as a spreadsheet shows them."""

    def __init__(self, row: int, column: str | None, message: str, sheet: str | None = None) -> None:
        self.row = row
        self.column = column
        self.message = message
        self.sheet = sheet  # the worksheet (or CSV kind) when an import has several
        where = (f"「{sheet}」表" if sheet else "") + f"第{row}行" + (f"「{column}」" if column else "")
        super().__init__(f"{where}: {message}")


class ImportRejected(GovinspectError):
    """An import refused as a whole because some rows are invalid; nothing was written."""

    def __init__(self, errors: list[ImportRowError]) -> None:
        self.errors = errors
        lines = "\n".join(str(e) for e in errors)
        super().__init__(f"导入被拒绝，共{len(errors)}处错误，数据未做任何修改:\n{lines}")


class EngineError(GovinspectError):
    """Anything that goes wrong inside the inspection engine."""


class FetchError(EngineError):
    def __init__(self, url: str, message: str = "", attempt: int = 1) -> None:
        self.url = url
        self.attempt = attempt
        super().__init__(f"{url}: {message}" if message else url)


class TransientError(FetchError):
    """A retry may help."""


class Timeout(TransientError):
    pass


class ConnectError(TransientError):
    pass


class ServerBusy(TransientError):
    """429 or 503: the server asks us to come back later."""


class PermanentError(FetchError):
    """A retry will not help."""


class DNSError(PermanentError):
    pass


class TLSError(PermanentError):
    pass


class TooManyRedirects(PermanentError):
    pass


class TooLarge(PermanentError):
    pass


class DecompressionBomb(PermanentError):
    pass


class DecodingError(EngineError):
    pass


class CheckError(EngineError):
    def __init__(self, check_id: str, url: str, message: str) -> None:
        self.check_id = check_id
        self.url = url
        super().__init__(f"{check_id} on {url}: {message}")


class CheckDisabled(Exception):
    """Raised by a check's constructor to switch itself off for this site or run."""


class SkipURL(Exception):
    """Raised to drop one URL from the crawl without reporting an error."""


class StopSite(Exception):
    """Raised to end a site's crawl early (deadline, trap, page limit)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
