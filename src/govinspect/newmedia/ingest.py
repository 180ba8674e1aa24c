"""Store adapter records: posts per account, de-duplicated by post id, idempotent re-ingestion.

Records are written in batches of about 2,000 posts (a ``Writer`` buffers them, across sources in
``ingest_many``) with a multi-row upsert on (account, post_id): ingesting the same source twice
leaves the database as it was (``ingested_at`` apart); a later copy of a post updates its counts
and text. A post's comments are replaced when the source gives them. Every record
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
    records: Iterable[Record],
    source: str,
    fmt: str,
    *,
    resolver: AccountResolver | None = None,
    writer: Writer | None = None,
) -> IngestSummary:
    """Store one source's records. With a shared ``writer`` (``ingest_many``) the posts are written
    when its buffer is full, together with other sources' posts; otherwise before returning."""
    resolver = resolver or AccountResolver.from_db()
    own = writer is None
    writer = writer or Writer()
    run = IngestRun.objects.create(source=source[:1000], format=fmt)
    summary = IngestSummary(source, fmt, run_id=run.id)
    seen: set[tuple[int, str]] = set()
    touched: dict[int, AccountInfo | None] = {}
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
        writer.add(pk, record, summary)
    writer.source_done(run, summary, touched)
    if own:
        writer.flush()
    return summary


class Writer:
    """Buffers posts of one or more sources and writes them a batch at a time: a feed per account
    holds 50 posts, and a dozen statements per feed made the round trips, not the rows, the cost."""

    def __init__(self, batch: int = BATCH) -> None:
        self.batch = batch
        self.posts: list[tuple[int, PostRecord, IngestSummary]] = []
        self.keys: set[tuple[int, str]] = set()
        self.done: list[tuple[IngestRun, IngestSummary, dict[int, AccountInfo | None]]] = []

    def add(self, pk: int, record: PostRecord, summary: IngestSummary) -> None:
        key = (pk, record.post_id)
        if key in self.keys:  # the same post in two sources: one upsert statement may not touch it twice
            self._write_posts()
        self.posts.append((pk, record, summary))
        self.keys.add(key)
        if len(self.posts) >= self.batch:
            self._write_posts()

    def source_done(self, run: IngestRun, summary: IngestSummary, touched: dict[int, AccountInfo | None]) -> None:
        self.done.append((run, summary, touched))

    def flush(self) -> list[IngestSummary]:
        """Write everything buffered; the sources finished since the last flush, with their counts."""
        self._write_posts()
        done, self.done = self.done, []
        if done:
            touched: dict[int, tuple[AccountInfo | None, str]] = {}
            for _run, summary, t in done:
                for pk, info in t.items():
                    if info is not None or pk not in touched:
                        touched[pk] = (info, summary.source)
            _update_sources(touched)
            _finish([(run, summary) for run, summary, _ in done])
        return [summary for _, summary, _ in done]

    def _write_posts(self) -> None:
        if self.posts:
            _store(self.posts)
        self.posts, self.keys = [], set()


def _store(batch: list[tuple[int, PostRecord, IngestSummary]]) -> None:
    """Upsert a batch of posts (and replace the comments the source gives) in one transaction.

    Multi-row ``INSERT … ON CONFLICT … DO UPDATE`` (SQLite ≥ 3.24 and PostgreSQL): the ORM's
    bulk_create spent most of the ingest time preparing values field by field."""
    accounts = {pk for pk, _, _ in batch}
    ids = {r.post_id for _, r, _ in batch}
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
            for pk, r, _ in batch
        ]
        _insert_many(_UPSERT_HEAD, rows, _UPSERT_TAIL)
        with_comments = [(pk, r) for pk, r, _ in batch if r.comments is not None]
        if with_comments:
            _replace_comments(with_comments, existing)
    for pk, r, summary in batch:
        if (pk, r.post_id) in existing:
            summary.updated += 1
        else:
            summary.created += 1


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


def _update_sources(touched: dict[int, tuple[AccountInfo | None, str]]) -> None:
    if not touched:
        return
    now = timezone.now()
    current = {s.account_id: s for s in AccountSource.objects.filter(account_id__in=touched)}
    rows = []
    for pk, (info, source) in touched.items():
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


def _finish(done: list[tuple[IngestRun, IngestSummary]]) -> None:
    IngestError.objects.bulk_create(
        [
            IngestError(run=run, row=e.row, field=e.field[:64], message=e.message, raw=e.raw)
            for run, summary in done
            for e in summary.errors
        ],
        batch_size=1000,
    )
    now = timezone.now()
    for run, summary in done:
        run.finished_at = now
        run.rows, run.created, run.updated = summary.rows, summary.created, summary.updated
        run.error_count = len(summary.errors)
    IngestRun.objects.bulk_update(
        [run for run, _ in done], ["finished_at", "rows", "created", "updated", "error_count"], batch_size=500
    )


def ingest_many(
    sources: Iterable[str | Path],
    fmt: str | None = None,
    *,
    account: str = "",
    read: Callable[[str], bytes] | None = None,
    group_rows: int = 20_000,
) -> Iterator[IngestSummary]:
    """Ingest several sources with one account lookup table and one write buffer. Small sources
    (a feed per account) share a transaction until about ``group_rows`` rows are written (a commit
    per feed would make the disk's sync the cost); summaries are yielded once their posts are written."""
    from govinspect.newmedia.adapters import guess_format

    resolver = AccountResolver.from_db()
    read = read or (lambda s: Path(s).read_bytes())
    writer = Writer()
    pending = 0
    source_list = iter(sources)
    while True:
        finished: list[IngestSummary] = []
        with transaction.atomic():
            for source in source_list:
                try:
                    data = read(str(source))
                except OSError as exc:
                    finished.append(
                        IngestSummary(str(source), fmt or "", errors=[RowError(None, "", f"无法读取：{exc}")])
                    )
                    continue
                kind = fmt or guess_format(str(source), data)
                summary = ingest_records(
                    parse(data, str(source), kind, account), str(source), kind, resolver=resolver, writer=writer
                )
                finished.append(summary)
                pending += summary.rows + 1
                if pending >= group_rows:
                    break
            writer.flush()  # fills in the counts of the summaries above
        yield from finished
        if pending < group_rows:
            return
        pending = 0
