"""Terminal output shared by `govinspect run` and `govinspect demo`: a progress bar and the
per-city table with pass rates and problem shares."""

from __future__ import annotations

import sys
import time
from typing import Any

from govinspect.inspections.aggregates import Summary, format_rate, pass_rate, shares
from govinspect.inspections.runner import RunState
from govinspect.reports.attachment import ACCOUNT_HEADERS, SITE_HEADERS


class ProgressBar:
    """rich progress on stderr: sites (then accounts) done of total, findings so far."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._progress: Any = None
        self._task: Any = None
        self._last = 0.0

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[findings]} 个问题"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            )
            self._progress.start()
            self._task = self._progress.add_task("检查网站", total=None, findings=0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def __call__(self, state: RunState) -> None:
        if self._progress is not None:
            if state.sites_done < state.sites_total or not state.accounts_total:
                desc, done, total = "检查网站", state.sites_done, state.sites_total
            else:
                desc, done, total = "检查政务新媒体", state.accounts_done, state.accounts_total
            self._progress.update(self._task, description=desc, completed=done, total=total, findings=state.findings)
        elif time.monotonic() - self._last > 10 or state.sites_done == state.sites_total:
            self._last = time.monotonic()
            print(
                f"  {state.sites_done}/{state.sites_total} 个网站，"
                f"{state.accounts_done}/{state.accounts_total} 个账号，{state.findings} 个问题，"
                f"{time.monotonic() - state.started:.0f} 秒",
                file=sys.stderr,
                flush=True,
            )


def print_summary(summary: Summary, with_shares: bool = True) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"{summary.inspection.period} 检查情况（检查 #{summary.inspection.pk}）", show_lines=False)
    table.add_column("单位")
    for name in SITE_HEADERS:
        table.add_column(name, justify="right")
    for name in ACCOUNT_HEADERS:
        table.add_column("新媒体" + name if name == "存在突出问题数" else name, justify="right")
    for row in summary.rows:
        style = "bold" if row.region_code is None else None
        table.add_row(row.label, *map(str, row.cells()), style=style)
    console.print(table)
    total = summary.total
    console.print(
        f"政府网站 {total.sites} 个，存在突出问题 {total.sites_failed} 个，"
        f"合格率 {format_rate(summary.site_pass_rate)}；"
        f"政务新媒体 {total.accounts} 个，存在突出问题 {total.accounts_failed} 个，"
        f"合格率 {format_rate(summary.account_pass_rate)}"
    )
    from govinspect.registry.models import Site

    for category, counts in sorted(summary.by_category.items()):
        rate = format_rate(pass_rate(counts["checked"] - counts["failed"], counts["checked"]))
        label = Site.Category(category).label
        console.print(f"  {label}：检查 {counts['checked']} 个，不合格 {counts['failed']} 个，合格率 {rate}")
    if with_shares:
        found = shares(summary.inspection)
        if found:
            console.print("问题占比：")
            for share in found:
                console.print(f"  {share.text}（{share.numerator}/{share.denominator}）")
