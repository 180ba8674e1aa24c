"""`govinspect serve`: waitress answers pages, the API schema and the static files (WhiteNoise)."""

from __future__ import annotations

import threading
import urllib.request

import pytest
from django.core.management import call_command

from govinspect.cli.serve import make_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.network]


def get(url: str) -> tuple[int, bytes, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get("Content-Type", "")


def test_served_by_waitress_with_static_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    server = make_server("127.0.0.1", 0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.effective_port}"
        status, _, _ = get(f"{base}/")
        assert status == 302  # to the login page
        status, body, _ = get(f"{base}/login/")
        assert status == 200 and "登录".encode() in body
        status, body, ctype = get(f"{base}/static/web/app.css")
        assert status == 200 and ctype.startswith("text/css") and b"--brand" in body
        status, body, _ = get(f"{base}/api/schema/?format=json")
        assert status == 200 and b'"openapi"' in body
    finally:
        server.close()
        thread.join(timeout=5)
