import pytest

from govinspect.errors import ConfigError
from govinspect.project.env import database_config, env_bool, env_int, env_list, env_str


def test_bool_int_list_parse_and_reject():
    env = {"GOVINSPECT_A": "yes", "GOVINSPECT_B": "12", "GOVINSPECT_C": "a, b,,c"}
    assert env_bool("A", environ=env) is True
    assert env_bool("MISSING", True, environ=env) is True
    assert env_int("B", 0, environ=env) == 12
    assert env_list("C", [], environ=env) == ["a", "b", "c"]
    with pytest.raises(ConfigError, match="GOVINSPECT_B"):
        env_int("B", 0, minimum=20, environ=env)
    with pytest.raises(ConfigError, match="boolean"):
        env_bool("B", environ=env)


def test_file_variant_wins(tmp_path):
    secret = tmp_path / "s"
    secret.write_text("from-file\n")
    env = {"GOVINSPECT_KEY": "plain", "GOVINSPECT_KEY_FILE": str(secret)}
    assert env_str("KEY", environ=env) == "from-file"


def test_database_default_is_sqlite_in_data_dir(tmp_path):
    cfg = database_config("", tmp_path)
    assert cfg["ENGINE"].endswith("sqlite3") and cfg["NAME"].startswith(str(tmp_path))
    pg = database_config("postgres://u@127.0.0.1:5432/db", tmp_path)
    assert pg["ENGINE"].endswith("postgresql") and pg["NAME"] == "db"
    with pytest.raises(ConfigError):
        database_config("nosuch://x", tmp_path)
