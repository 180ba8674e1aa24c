import pytest

from web_world import build_world


@pytest.fixture
def world(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # report downloads are written under it
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
    return build_world()
