"""Store adapter records: posts per account, de-duplicated by post id, idempotent re-ingestion.

Records are written in batches (one transaction each) with an upsert on (account, post_id):
ingesting the same source twice leaves the database as it was; a later copy of a post updates
its counts and text. A post's comments are replaced when the source gives them. Every record
that cannot be stored (unknown account, duplicate within the source, a broken row) becomes an
``IngestError`` with its row number; everything else is stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from govinspect.findings import normalize_url
from govinspect.newmedia.adapters import AccountInfo, PostRecord, Record, RowError, parse
from govinspect.newmedia.checks import account_uri
from govinspect.newmedia.models import AccountSource, Comment, IngestError, IngestRun, Post
from govinspect.registry.models import Account

BATCH = 2000
_POST_FIELDS = ["published_at", "title", "text", "url", "comment_count", "reply_count", "raw"]


class AccountResolver:
    """Finds the register's account a record names: "platform:id", an account URL or id,
    the account URI, or "platform:name:NAME" / "name:NAME" when the name is unique."""

    def __init__(self, accounts: Iterable[tuple[int, str, str, str]]) -> None:
        self.by_key: dict[str, int | None] = {}
        for pk, platform, platform_id, name in accounts:
            pid = platform_id.strip()
            keys = {f"{platform}:{pid}", account_uri(platform, pid), pid, f"{platform}:name:{name}", f"name:{name}"}
            if pid.lower().startswith(("http://", "https://")):
                keys |= {normalize_url(pid), f"{platform}:{normalize_url(pid)}"}
            for key in keys:
                # a key two accounts share (a name on two platforms) names neither
                self.by_key[key] = None if key in self.by_key and self.by_key[key] != pk else pk

    @classmethod
    def from_db(cls) -> AccountResolver:
        return cls(Account.objects.values_list("id", "platform", "platform_id", "name").iterator())

    def resolve(self, ref: str) -> int | None:
        """The account of the first reference that names one (a reference may list alternatives,
        one a line: a feed's link, then its title)."""
        for alternative in ref.split("\n"):
            found = self._resolve_one(alternative)
            if found is not None:
                return found
        return None

    def _resolve_one(self, ref: str) -> int | None:
        ref = ref.strip()
        found = self.by_key.get(ref)
        if found is None and "://" in ref:
            platform, _, rest = ref.partition(":")
            found = self.by_key.get(normalize_url(ref)) or self.by_key.get(f"{platform}:{normalize_url(rest)}")
        return found


@dataclass
class IngestSummary:
    source: str
    format: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    run_id: int | None = None

    def __str__(self) -> str:
        return f"{self.source}: {self.rows} 条, 新增 {self.created}, 更新 {self.updated}, 错误 {len(self.errors)}"


def ingest_bytes(
    data: bytes, source: str, fmt: str | None = None, *, account: str = "", resolver: AccountResolver | None = None
) -> IngestSummary:
    """Parse and store one source; returns the summary (also kept as an IngestRun)."""
    from govinspect.newmedia.adapters import guess_format

    fmt = fmt or guess_format(source, data)
    return ingest_records(parse(data, source, fmt, account), source, fmt, resolver=resolver)


def ingest_path(
    path: str | Path, fmt: str | None = None, *, account: str = "", resolver: AccountResolver | None = None
) -> IngestSummary:
    p = Path(path)
    return ingest_bytes(p.read_bytes(), str(p), fmt, account=account, resolver=resolver)


def ingest_records(
    records: Iterable[Record], source: str, fmt: str, *, resolver: AccountResolver | None = None
) -> IngestSummary:
    resolver = resolver or AccountResolver.from_db()
    run = IngestRun.objects.create(source=source[:1000], format=fmt)
    summary = IngestSummary(source, fmt, run_id=run.id)
    seen: set[tuple[int, str]] = set()
    touched: dict[int, AccountInfo | None] = {}
    batch: list[tuple[int, PostRecord]] = []
    for record in records:
        if isinstance(record, RowError):
            summary.errors.append(record)
            continue
        summary.rows += 1
        pk = resolver.resolve(record.account)
        if pk is None:
            named = record.account.replace("\n", " / ")[:100]
            summary.errors.append(RowError(record.row, "account", f"登记库中找不到账号 {named}"))
            continue
        if isinstance(record, AccountInfo):
            touched[pk] = record
            continue
        touched.setdefault(pk, None)
        if (pk, record.post_id) in seen:
            message = f"重复的发布ID {record.post_id[:100]}（保留首次出现）"
            summary.errors.append(RowError(record.row, "post_id", message))
            continue
        seen.add((pk, record.post_id))
        batch.append((pk, record))
        if len(batch) >= BATCH:
            _store(batch, summary)
            batch = []
    if batch:
        _store(batch, summary)
    _update_sources(touched, source)
    _finish(run, summary)
    return summary


def _store(batch: list[tuple[int, PostRecord]], summary: IngestSummary) -> None:
    """Upsert a batch of posts (and replace the comments the source gives) in one transaction.

    Multi-row ``INSERT … ON CONFLICT … DO UPDATE`` (SQLite ≥ 3.24 and PostgreSQL): the ORM's
    bulk_create spent most of the ingest time preparing values field by field."""
    accounts = {pk for pk, _ in batch}
    ids = {r.post_id for _, r in batch}
    ops = connection.ops
    with transaction.atomic():
        existing = {
            (a, p): pk
            for pk, a, p in Post.objects.filter(account_id__in=accounts, post_id__in=ids).values_list(
                "id", "account_id", "post_id"
            )
        }
        rows = [
            (
                pk,
                r.post_id,
                ops.adapt_datetimefield_value(r.published_at),
                r.title[:500],
                r.text,
                r.url[:1000],
                r.comment_count,
                r.reply_count,
                json.dumps(r.raw, ensure_ascii=False),
                ops.adapt_datetimefield_value(timezone.now()),
            )
            for pk, r in batch
        ]
        _insert_many(_UPSERT_HEAD, rows, _UPSERT_TAIL)
        with_comments = [(pk, r) for pk, r in batch if r.comments is not None]
        if with_comments:
            _replace_comments(with_comments, existing)
    new = sum(1 for pk, r in batch if (pk, r.post_id) not in existing)
    summary.created += new
    summary.updated += len(batch) - new


def _insert_many(head: str, rows: list[tuple], tail: str = "", chunk: int = 500) -> None:
    """``head VALUES (…), (…) … tail`` a chunk of rows at a time: one statement per chunk, not per
    row (executemany is a round trip per row on PostgreSQL)."""
    if not rows:
        return
    one = "(" + ", ".join(["%s"] * len(rows[0])) + ")"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), chunk):
            part = rows[i : i + chunk]
            cursor.execute(f"{head} VALUES {', '.join([one] * len(part))} {tail}", [v for row in part for v in row])


_POST_COLUMNS = ["account_id", "post_id", *_POST_FIELDS, "ingested_at"]
_UPSERT_HEAD = f"INSERT INTO {Post._meta.db_table} ({', '.join(_POST_COLUMNS)})"
_UPSERT_TAIL = "ON CONFLICT (account_id, post_id) DO UPDATE SET " + ", ".join(
    f"{c} = excluded.{c}" for c in [*_POST_FIELDS, "ingested_at"]
)


def _replace_comments(items: list[tuple[int, PostRecord]], known: dict[tuple[int, str], int]) -> None:
    missing = [(a, r.post_id) for a, r in items if (a, r.post_id) not in known]
    pks = dict(known)
    if missing:
        pks.update(
            {
                (a, p): pk
                for pk, a, p in Post.objects.filter(
                    account_id__in={a for a, _ in missing}, post_id__in={p for _, p in missing}
                ).values_list("id", "account_id", "post_id")
            }
        )
    post_pks = [pks[(a, r.post_id)] for a, r in items]
    Comment.objects.filter(post_id__in=post_pks).delete()
    ops = connection.ops
    rows = [
        (pks[(a, r.post_id)], c.text, ops.adapt_datetimefield_value(c.time), c.replied, c.reply_text)
        for a, r in items
        for c in r.comments or ()
    ]
    _insert_many(f"INSERT INTO {Comment._meta.db_table} (post_id, text, time, replied, reply_text)", rows)


def _update_sources(touched: dict[int, AccountInfo | None], source: str) -> None:
    if not touched:
        return
    now = timezone.now()
    current = {s.account_id: s for s in AccountSource.objects.filter(account_id__in=touched)}
    rows = []
    for pk, info in touched.items():
        old = current.get(pk)
        auto = info.auto_reply if info and info.auto_reply is not None else (old.auto_reply if old else None)
        messages = (
            info.messages_enabled
            if info and info.messages_enabled is not None
            else (old.messages_enabled if old else None)
        )
        rows.append(
            AccountSource(
                account_id=pk, last_ingested_at=now, auto_reply=auto, messages_enabled=messages, feed=source[:1000]
            )
        )
    AccountSource.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["account"],
        update_fields=["last_ingested_at", "auto_reply", "messages_enabled", "feed"],
    )


def _finish(run: IngestRun, summary: IngestSummary) -> None:
    IngestError.objects.bulk_create(
        [IngestError(run=run, row=e.row, field=e.field[:64], message=e.message, raw=e.raw) for e in summary.errors],
        batch_size=1000,
    )
    run.finished_at = timezone.now()
    run.rows, run.created, run.updated, run.error_count = (
        summary.rows,
        summary.created,
        summary.updated,
        len(summary.errors),
    )
    run.save(update_fields=["finished_at", "rows", "created", "updated", "error_count"])


def ingest_many(
    sources: Iterable[str | Path],
    fmt: str | None = None,
    *,
    account: str = "",
    read: Callable[[str], bytes] | None = None,
    group_rows: int = 20_000,
) -> Iterator[IngestSummary]:
    """Ingest several sources with one account lookup table. Small sources (one feed per account)
    share a transaction until about ``group_rows`` rows are written: a commit per feed would make
    the disk's sync, not the work, the cost. Each source still has its own savepoint, so a source
    that fails leaves the others stored."""
    resolver = AccountResolver.from_db()
    read = read or (lambda s: Path(s).read_bytes())
    pending = 0
    group = transaction.atomic()
    group.__enter__()
    try:
        for source in sources:
            try:
                data = read(str(source))
            except OSError as exc:
                yield IngestSummary(str(source), fmt or "", errors=[RowError(None, "", f"无法读取：{exc}")])
                continue
            with transaction.atomic():
                summary = ingest_bytes(data, str(source), fmt, account=account, resolver=resolver)
            yield summary
            pending += summary.rows + 1
            if pending >= group_rows:
                group.__exit__(None, None, None)
                group = transaction.atomic()
                group.__enter__()
                pending = 0
    except GeneratorExit:  # the caller stopped early: what was ingested stays
        group.__exit__(None, None, None)
        raise
    except BaseException as exc:
        group.__exit__(type(exc), exc, exc.__traceback__)
        raise
    group.__exit__(None, None, None)
