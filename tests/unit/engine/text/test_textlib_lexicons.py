"""The lexicons are data: packaged files load and validate; an override directory replaces a
file of the same name; a broken file is a ConfigError naming it."""

import pytest

from govinspect.errors import ConfigError
from govinspect.lexicons import load_lexicons, load_misused_words, load_protected_terms


def test_packaged_lexicons_load():
    lex = load_lexicons()
    assert lex.protected.as_of
    assert "习近平新时代中国特色社会主义思想" in lex.protected.terms
    assert "全国人民代表大会常务委员会" in lex.protected.terms
    assert {leader.name for leader in lex.protected.leaders} >= {"习近平", "李强"}
    assert any(m.wrong == "既使" and m.right == "即使" for m in lex.misused)
    assert "放管服" in lex.phrasings


def test_override_directory_replaces_a_file(tmp_path):
    (tmp_path / "misused_words.tsv").write_text("# ours\n甲乙\t甲丙\n", encoding="utf-8")
    words = load_misused_words(str(tmp_path))
    assert [(w.wrong, w.right) for w in words] == [("甲乙", "甲丙")]
    # files not in the directory still come from the package
    assert load_protected_terms(str(tmp_path)).terms == load_protected_terms().terms


def test_missing_override_directory_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not a directory"):
        load_lexicons(str(tmp_path / "nope"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("misused_words.tsv", "既使\n", "needs wrong<TAB>right"),
        ("misused_words.tsv", "即使\t即使\n", "different"),
        ("protected_terms.toml", "[posts\n", "protected_terms.toml"),
        ("protected_terms.toml", '[posts]\ntitles=["总理"]\n[[leader]]\nname="甲"\nposts=["主席"]\n', "not in"),
    ],
)
def test_broken_files_are_config_errors(tmp_path, name, content, message):
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_lexicons(str(tmp_path))
