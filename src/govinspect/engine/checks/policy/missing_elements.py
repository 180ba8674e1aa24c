"""policy.missing_elements: a policy document that does not show its 公开要素.

Options (``config.check_options["policy.missing_elements"]``):
- ``required``: element names to require (default ``policydoc.DEFAULT_REQUIRED``:
  索引号, 发文机关, 发文字号, 成文日期, 发布日期, 主题分类, 有效性 — the gov.cn document
  header plus 有效性, see indicators.md §2.6);
- ``min_present``: only report a page that shows at least this many 公开要素 of any kind
  (default 0). Raise it on a site whose documents carry no metadata block at all, to
  report only partial blocks.

No national deduction item scores 公开要素 directly (the 19号 indicators score 政策文件 by
column freshness): the finding's indicator is the catalogue item that lists this check, if
any (none in the national catalogue today).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from govinspect.engine import policydoc
from govinspect.engine.checks.base import PageCheck
from govinspect.errors import ConfigError
from govinspect.findings import Finding
from govinspect.indicators import catalogue

if TYPE_CHECKING:
    from govinspect.engine.page.model import Page


class MissingElements(PageCheck):
    id = "policy.missing_elements"
    indicator = None
    severity = "deduct"
    description = "政策文件公开要素（索引号、发文机关、发文字号、成文日期等）缺失"

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        # the catalogue item this check feeds, once the catalogue lists it (None until then)
        self.indicator = next((i.id for i in catalogue().for_check(self.id)), None)  # type: ignore[misc]
        opts = ctx.options(self.id)
        required = opts.get("required", policydoc.DEFAULT_REQUIRED)
        if isinstance(required, str) or not all(isinstance(r, str) for r in required):
            raise ConfigError(f"{self.id}: required must be a list of element names")
        unknown = [r for r in required if r not in policydoc.ELEMENT_LABELS]
        if unknown:
            raise ConfigError(
                f"{self.id}: unknown 公开要素 {', '.join(unknown)}; known: {', '.join(policydoc.ELEMENT_LABELS)}"
            )
        self.required: tuple[str, ...] = tuple(required)
        self.min_present = int(opts.get("min_present", 0))

    def applies_to(self, page: Page) -> bool:
        return page.kind == "html" and page.status < 400

    def check_page(self, page: Page) -> Iterable[Finding]:
        doc = policydoc.recognise_once(page, self.ctx.site.home_url)
        if doc is None:
            return
        missing = doc.missing(self.required)
        if not missing:
            return
        present = [name for name, value in doc.elements.items() if value.present]
        if len(present) < self.min_present:
            return
        shown = "；".join(f"{name}：{doc.elements[name].value}" for name in present[:4])
        evidence = f"{doc.title}（{shown}）" if shown else doc.title
        yield self.finding(
            page.url,
            evidence=evidence[:200],
            missing=missing,
            title=doc.title,
            recognised_by=list(doc.reasons),
        )
