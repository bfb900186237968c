"""Per-corpus configuration: where it is found, what it sets, how the command line overrides it, its errors."""

from __future__ import annotations

import pytest

from cleaner import Options
from cleaner.cli import cli
from cleaner.config import ConfigError, find_config, options_by_source, read_table, settings_of

from .test_check import BRIDGE

ADS_OFF = 'disable = ["ads"]\n'


@pytest.fixture
def corpus(tmp_path):
    """``tmp_path/corpus/bridge.txt``, an article with residue, beside nothing yet."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
    return folder


def rules_found(result) -> set[str]:
    return {line.split(": ")[1] for line in result.stdout.splitlines()}


# -- discovery ---------------------------------------------------------------------------------------------------------


def test_the_nearest_file_is_found_walking_up(tmp_path):
    (tmp_path / "cleaner.toml").write_text(ADS_OFF)
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_config(nested) == (tmp_path / "cleaner.toml", {"disable": ["ads"]})
    (tmp_path / "a" / "cleaner.toml").write_text('captions = "drop"\n')
    assert find_config(nested)[0] == tmp_path / "a" / "cleaner.toml"


def test_a_pyproject_without_a_cleaner_table_is_passed_over(tmp_path):
    (tmp_path / "cleaner.toml").write_text(ADS_OFF)
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "corpus"\n')
    assert find_config(inner)[0] == tmp_path / "cleaner.toml"
    (inner / "pyproject.toml").write_text('[tool.cleaner]\nmodel = false\n')
    assert find_config(inner) == (inner / "pyproject.toml", {"model": False})


@pytest.mark.parametrize("table", ['[tool."cleaner"]\nmodel = false\n', "[ tool . cleaner ]\nmodel = false\n",
                                   '[tool]\n"cleaner" = { model = false }\n'])
def test_every_toml_spelling_of_the_table_is_read(tmp_path, table):
    (tmp_path / "pyproject.toml").write_text(table)
    assert find_config(tmp_path) == (tmp_path / "pyproject.toml", {"model": False})


def test_a_configuration_that_is_not_utf8_is_named_once(runner, corpus):
    (corpus / "cleaner.toml").write_bytes(b'captions = "dr\xffop"\n')
    result = runner.invoke(cli, ["check", str(corpus / "bridge.txt")])
    assert result.exit_code == 2
    assert result.stderr == f"cleaner: {corpus / 'cleaner.toml'}: cannot read: invalid UTF-8 at byte offset 14\n"


def test_config_and_no_config_together_are_a_usage_error(runner, corpus):
    (corpus / "x.toml").write_text(ADS_OFF)
    result = runner.invoke(cli, ["check", "--config", str(corpus / "x.toml"), "--no-config", str(corpus)])
    assert result.exit_code == 2 and "--config and --no-config contradict each other" in result.stderr


def test_cleaner_toml_comes_before_pyproject_in_one_folder(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\nmodel = false\n')
    (tmp_path / "cleaner.toml").write_text(ADS_OFF)
    assert find_config(tmp_path)[0] == tmp_path / "cleaner.toml"


def test_each_file_gets_the_configuration_of_its_own_folder(tmp_path, monkeypatch):
    for name, text in (("news", ADS_OFF), ("blogs", 'captions = "inline"\n')):
        (tmp_path / name).mkdir()
        (tmp_path / name / "cleaner.toml").write_text(text)
    monkeypatch.chdir(tmp_path / "blogs")
    options = options_by_source([str(tmp_path / "news" / "a.txt"), "-"], Options(), {})
    assert options[str(tmp_path / "news" / "a.txt")].disabled == {"ads"}
    assert options["-"].captions == "inline"  # stdin: the current folder's


# -- settings ----------------------------------------------------------------------------------------------------------


def test_every_key_becomes_an_option(tmp_path):
    table = {"disable": ["navigation"], "languages": ["en", "de"], "captions": "drop", "model": False}
    settings = settings_of(tmp_path / "cleaner.toml", table)
    assert settings == {"disabled": {"navigation"}, "languages": {"en", "de"}, "captions": "drop", "use_model": False}


def test_enable_keeps_only_the_rules_named(tmp_path):
    from cleaner.rules import all_rules

    disabled = settings_of(tmp_path / "cleaner.toml", {"enable": ["ads", "share.button"]})["disabled"]
    kept = [rule.id for rule in all_rules() if rule.id not in disabled]
    assert "share.button" in kept and "ads.marker" in kept
    assert all(rule.startswith("ads.") or rule == "share.button" for rule in kept)


@pytest.mark.parametrize("overrides, message", [
    ({"disabled": {"ads", "shares"}}, "unknown rule or family 'shares'"),
    ({"languages": {"en", "xx"}}, "unknown language 'xx'"),
])
def test_options_refuse_a_rule_or_language_that_does_not_exist(overrides, message):
    with pytest.raises(ValueError, match=message):
        Options(**overrides)


def test_the_model_and_its_comment_search_can_be_disabled_by_name(tmp_path):
    settings = settings_of(tmp_path / "cleaner.toml", {"disable": ["model.comments"]})
    assert Options(**settings).disabled == {"model.comments"}
    assert Options(disabled={"model"}).disabled == {"model"}


@pytest.mark.parametrize("text, message", [
    ('captionz = "drop"\n', "cleaner.toml: captionz: unknown key (known: enable, disable, languages, captions, model)"),
    ('captions = "top"\n', "cleaner.toml: captions: must be one of drop, separate, inline, not 'top'"),
    ('model = "yes"\n', "cleaner.toml: model: must be true or false, not 'yes'"),
    ('disable = "ads"\n', "cleaner.toml: disable: must be a list of strings, not 'ads'"),
    ('disable = ["adz"]\n', "cleaner.toml: disable: unknown rule or family 'adz' (see 'cleaner rules')"),
    ('enable = ["ads.nothing"]\n', "cleaner.toml: enable: unknown rule or family 'ads.nothing'"),
    ('languages = ["en", "xx"]\n', "cleaner.toml: languages: unknown language 'xx'"),
    ('languages = []\n', "cleaner.toml: languages: name at least one (leave the key out for every language)"),
    ('enable = []\n', "cleaner.toml: enable: name at least one rule or family (leave the key out for all of them)"),
    ('captions = \n', "cleaner.toml: not valid TOML"),
    ("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "cleaner.toml: not a configuration: arrays or tables nested too deeply"),
])
def test_bad_configuration_names_the_file_and_key_and_exits_2(runner, corpus, text, message):
    (corpus / "cleaner.toml").write_text(text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        options_by_source([str(corpus / "bridge.txt")], Options(), {})
    for command in ("check", "clean"):
        result = runner.invoke(cli, [command, str(corpus / "bridge.txt")])
        assert result.exit_code == 2
        assert message in result.stderr and result.stdout == ""


def test_a_deeply_nested_configuration_is_refused_before_a_parser_recurses(corpus, deep_stack_collections):
    (corpus / "cleaner.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        options_by_source([str(corpus / "bridge.txt")], Options(), {})
    assert deep_stack_collections == []


def test_brackets_in_toml_strings_and_comments_do_not_nest(tmp_path):
    brackets = "[" * 150
    path = tmp_path / "cleaner.toml"
    path.write_text(f"# {brackets}\n"
                    f'basic = "{brackets} \\" {brackets}"  # {brackets}\n'
                    f"literal = '{brackets}'\n"
                    f'multi = """\n{brackets} \\""" {brackets}"""\n'
                    f"multi_literal = \'\'\'\n{brackets}\'\'\'\n"
                    "nested = [[[1]]]\n")
    assert read_table(path) == {"basic": f'{brackets} " {brackets}', "literal": brackets,
                                "multi": f'{brackets} """ {brackets}', "multi_literal": brackets, "nested": [[[1]]]}


def test_a_bad_key_in_pyproject_is_named_with_its_table(runner, corpus):
    (corpus / "pyproject.toml").write_text('[tool.cleaner]\ncaptions = "drop"\nlanguage = ["en"]\n')
    result = runner.invoke(cli, ["check", str(corpus)])
    assert result.exit_code == 2
    assert f"{corpus / 'pyproject.toml'}: tool.cleaner.language: unknown key" in result.stderr


# -- the command line on top -------------------------------------------------------------------------------------------


def test_check_follows_the_configuration(runner, corpus):
    assert "ads.marker" in rules_found(runner.invoke(cli, ["check", str(corpus)]))
    (corpus / "cleaner.toml").write_text(ADS_OFF + 'captions = "inline"\n')
    found = rules_found(runner.invoke(cli, ["check", str(corpus)]))
    # the advertisement lines stay, as headings; no sentence is joined across them
    assert found == {"share.trailing"}


def test_command_line_options_override_the_configuration(runner, corpus):
    (corpus / "cleaner.toml").write_text(ADS_OFF + 'captions = "inline"\n')
    found = rules_found(runner.invoke(cli, ["check", "--captions", "separate", "--disable", "share", str(corpus)]))
    assert found == {"caption.positional"}  # captions back, share off as well as ads
    assert "ads.marker" in rules_found(runner.invoke(cli, ["check", "--no-config", str(corpus)]))


def test_an_explicit_config_file_replaces_the_search(runner, corpus, tmp_path):
    (corpus / "cleaner.toml").write_text(ADS_OFF)
    other = tmp_path / "strict.toml"
    other.write_text('disable = ["share"]\n')
    found = rules_found(runner.invoke(cli, ["check", "--config", str(other), str(corpus)]))
    assert "ads.marker" in found and "share.trailing" not in found


def test_the_model_setting_and_its_override(runner, corpus, monkeypatch):
    from .test_check import spy_on_clean

    models = spy_on_clean(monkeypatch)
    (corpus / "cleaner.toml").write_text("model = true\n")
    runner.invoke(cli, ["check", str(corpus)])
    runner.invoke(cli, ["check", "--no-model", str(corpus)])
    (corpus / "cleaner.toml").write_text("model = false\n")
    runner.invoke(cli, ["clean", str(corpus / "bridge.txt")])
    runner.invoke(cli, ["clean", "--use-model", str(corpus / "bridge.txt")])
    assert models == [True, False, False, True]


def test_clean_follows_the_configuration_of_each_file(runner, corpus, tmp_path, monkeypatch):
    (corpus / "cleaner.toml").write_text(ADS_OFF)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["clean", str(corpus / "bridge.txt")])
    assert result.exit_code == 0 and "Advertisement" in result.stdout
    assert "Advertisement" not in runner.invoke(cli, ["clean", "--no-config", str(corpus / "bridge.txt")]).stdout


def test_lang_on_the_command_line_replaces_the_configured_languages(runner, corpus):
    (corpus / "cleaner.toml").write_text('languages = ["ru"]\n')  # newsletter.signup_imperative knows English
    (corpus / "news.txt").write_text("Harbour News\n\nThe ferry runs again on Monday, the port said.\n\n"
                                     "Sign up for our weekly newsletter.\n")
    assert "newsletter.signup_imperative" not in rules_found(runner.invoke(cli, ["check", str(corpus)]))
    assert "newsletter.signup_imperative" in rules_found(runner.invoke(cli, ["check", "--lang", "en", str(corpus)]))


def test_a_configuration_is_named_by_its_plain_path(runner, tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "cleaner.toml").write_text('captions = "sideways"\n')
    (tmp_path / "other" / "a.txt").write_text("Title\n\nA sentence of the article that is long enough to count.\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["check", "sub/../other/a.txt"])
    assert result.exit_code == 2 and f"{tmp_path / 'other' / 'cleaner.toml'}: captions" in result.stderr
    assert ".." not in result.stderr
