"""Lexicons edited by the province administrator: validated, versioned, audited, and used by the
engine configuration of later inspections and rechecks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govinspect.accounts.models import AuditEntry
from govinspect.lexicons import load_lexicons
from govinspect.web import lexicons
from govinspect.web.models import LexiconVersion
from web_world import PASSWORD

pytestmark = pytest.mark.django_db


def test_edit_keeps_history_and_feeds_the_engine(client, world):
    assert lexicons.engine_config().check_options.get("text.typo") is None
    assert client.login(username="prov", password=PASSWORD)
    url = reverse("web:lexicon", args=["allowlist.txt"])
    assert "allowlist" in client.get(url).content.decode()
    client.post(url, {"content": "# 白名单\n既使\n", "note": "人名用字"})
    client.post(url, {"content": "# 白名单\n既使\n即便\n", "note": "再加一个"})
    versions = list(LexiconVersion.objects.filter(name="allowlist.txt"))
    assert [v.note for v in versions] == ["再加一个", "人名用字"]
    assert AuditEntry.objects.filter(action="lexicon.edit").count() == 2
    config = lexicons.engine_config()
    lexicon_dir = config.check_options["text.typo"]["lexicon_dir"]
    assert config.check_options["security.sensitive"]["lexicon_dir"] == lexicon_dir
    assert {"既使", "即便"} <= load_lexicons(lexicon_dir).allowlist
    assert "再加一个" in client.get(url).content.decode()


def test_invalid_file_is_refused(client, world):
    assert client.login(username="prov", password=PASSWORD)
    url = reverse("web:lexicon", args=["terms.toml"])
    response = client.post(url, {"content": "[[category]\nid = ", "note": "坏文件"}, follow=True)
    assert "未保存" in response.content.decode()
    assert not LexiconVersion.objects.exists()


def test_note_is_required_and_unknown_names_404(client, world):
    assert client.login(username="prov", password=PASSWORD)
    client.post(reverse("web:lexicon", args=["allowlist.txt"]), {"content": "x\n", "note": ""})
    assert not LexiconVersion.objects.exists()
    assert client.get(reverse("web:lexicon", args=["secrets.txt"])).status_code == 404
