"""Per-corpus configuration: a ``cleaner.toml``, or a ``[tool.cleaner]`` table in ``pyproject.toml``.

Each input gets the configuration nearest to it: the search starts in the input's
folder (the current folder for stdin) and walks up to the filesystem root; in each
folder ``cleaner.toml`` comes first, then a ``pyproject.toml`` that has a
``[tool.cleaner]`` table. Options given on the command line override the file's
(``--disable`` adds to its list). The keys::

    enable = ["ads", "share.button"]  # only these rule families or ids (default: all)
    disable = ["navigation"]          # switch these off
    languages = ["en", "de"]          # rule languages (default: all)
    captions = "separate"             # separate | drop | inline
    model = false                     # the learned model on or off
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from .io import STDIN, TOML_STRINGS, nests_deeper
from .options import CAPTION_MODES, Options

CONFIG_NAMES = ("cleaner.toml", "pyproject.toml")
KEYS = ("enable", "disable", "languages", "captions", "model")
#: Settings nest two levels deep (``[tool.cleaner]``, a list); a file nested deeper than this
#: (a ``pyproject.toml``'s other tables included) is refused unread.
MAX_CONFIG_DEPTH = 100


class ConfigError(Exception):
    """A configuration file that cannot be used: the message names the file and the key."""


def read_table(path: Path) -> dict | None:
    """The cleaner settings in ``path`` as TOML (None: a ``pyproject.toml`` without ``[tool.cleaner]``).

    A ``pyproject.toml`` that does not mention cleaner is not parsed at all: start-up stays quick.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read: invalid UTF-8 at byte offset {exc.start}") from None
    if path.name == "pyproject.toml" and "cleaner" not in text:  # it cannot configure us ([tool."cleaner"] ...)
        return None
    if nests_deeper(text, MAX_CONFIG_DEPTH, TOML_STRINGS):
        raise ConfigError(f"{path}: not a configuration: arrays or tables nested too deeply")
    import tomllib

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name != "pyproject.toml":
        return doc
    tool = doc.get("tool")
    table = tool.get("cleaner") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: tool.cleaner must be a table")
    return table


def find_config(folder: Path) -> tuple[Path, dict] | None:
    """The configuration file nearest to ``folder`` (at it or above), with its table; None if none."""
    for place in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            path = place / name
            table = read_table(path) if path.is_file() else None
            if table is not None:
                return path, table
    return None


def settings_of(path: Path, table: dict) -> dict:
    """The :class:`Options` fields a configuration table sets, checked; errors name the file and key."""
    prefix = "tool.cleaner." if path.name == "pyproject.toml" else ""

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{path}: {prefix}{key}: {problem}")

    for key in table:
        if key not in KEYS:
            raise fail(key, f"unknown key (known: {', '.join(KEYS)})")
    settings = {}
    if "captions" in table:
        if table["captions"] not in CAPTION_MODES:
            raise fail("captions", f"must be one of {', '.join(CAPTION_MODES)}, not {table['captions']!r}")
        settings["captions"] = table["captions"]
    if "model" in table:
        if not isinstance(table["model"], bool):
            raise fail("model", f"must be true or false, not {table['model']!r}")
        settings["use_model"] = table["model"]
    if "languages" in table:
        settings["languages"] = _names(table["languages"], known_languages(), "language", lambda p: fail("languages", p))
        if not settings["languages"]:
            raise fail("languages", "name at least one (leave the key out for every language)")
    disabled = set()
    if "disable" in table:
        disabled |= _names(table["disable"], known_rule_names(), "rule or family", lambda p: fail("disable", p))
    if "enable" in table:
        enabled = _names(table["enable"], known_rule_names(), "rule or family", lambda p: fail("enable", p))
        if not enabled:
            raise fail("enable", "name at least one rule or family (leave the key out for all of them)")
        disabled |= rules_outside(enabled)
    if disabled:
        settings["disabled"] = frozenset(disabled)
    return settings


def _names(value, known: set[str], what: str, fail) -> frozenset[str]:
    """``value`` as a set of known names; ``fail(problem)`` makes the error otherwise."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise fail(f"must be a list of strings, not {value!r}")
    problem = unknown_name(value, known, what)
    if problem:
        raise fail(problem)
    return frozenset(value)


@cache
def known_languages() -> frozenset[str]:
    from .rules import all_rules

    return frozenset(language for rule in all_rules() for language in rule.languages if language != "*")


@cache
def known_rule_names() -> frozenset[str]:
    """Every rule id and every rule family (HTML mode's markup rules too), and the learned model's
    rule ids (``model``: the whole model, as ``--no-model``; ``model.comments``: its search for comments),
    and the engine's own (``document.repeated``: a paragraph repeated inside a text)."""
    from .decide import ENGINE_VERDICTS, MODEL_VERDICTS

    return frozenset({name for rule_id, family in _rule_ids() for name in (rule_id, family)}
                     | set(MODEL_VERDICTS) | set(ENGINE_VERDICTS))


def unknown_name(names, known: frozenset[str] | set[str], what: str) -> str | None:
    """The problem with the first of ``names`` that is not ``known`` (None: all are)."""
    unknown = next((name for name in names if name not in known), None)
    if unknown is None:
        return None
    if what == "language":  # a few codes: name them all ('cleaner rules' shows them per rule)
        return f"unknown language {unknown!r} (known: {', '.join(sorted(known))})"
    return f"unknown {what} {unknown!r} (see 'cleaner rules')"


def rules_outside(enabled: frozenset[str]) -> set[str]:
    """The ids of the rules that are neither in ``enabled`` nor of a family in it."""
    return {rule_id for rule_id, family in _rule_ids() if rule_id not in enabled and family not in enabled}


def _rule_ids() -> list[tuple[str, str]]:
    """Every rule's id and family: the text rules, and HTML mode's markup rules."""
    from .markup import MARKUP_FAMILY, markup_rule_ids
    from .rules import all_rules

    return [(rule.id, rule.family) for rule in all_rules()] + [(rule_id, MARKUP_FAMILY) for rule_id in markup_rule_ids()]


def command_line_settings(captions: str | None, languages: tuple[str, ...], disable: tuple[str, ...],
                          use_model: bool | None) -> dict:
    """The :class:`Options` fields given on the command line (options left out are not in it)."""
    settings = {"captions": captions, "languages": frozenset(languages) or None,
                "disabled": frozenset(disable) or None, "use_model": use_model}
    return {name: value for name, value in settings.items() if value is not None}


def combine(defaults: Options, from_file: dict, from_command_line: dict) -> Options:
    """``defaults``, then the file's settings, then the command line's; disabled rules add up."""
    disabled = defaults.disabled | from_file.get("disabled", frozenset()) | from_command_line.get("disabled", frozenset())
    return Options.build(defaults, from_file | from_command_line | {"disabled": disabled})


def options_by_source(sources: list[str], defaults: Options, from_command_line: dict,
                      config: Path | None = None, search: bool = True) -> dict[str, Options]:
    """The options of each source: ``config`` if given, else the nearest file (when ``search``)."""
    if config is not None:
        table = read_table(config)
        if table is None:
            raise ConfigError(f"{config}: has no [tool.cleaner] table")
        options = combine(defaults, settings_of(config, table), from_command_line)
        return dict.fromkeys(sources, options)
    by_folder: dict[Path, Options] = {}
    by_source = {}
    for source in sources:
        folder = Path.cwd() if source == STDIN else Path(os.path.abspath(source)).parent  # ".." resolved, as named
        if folder not in by_folder:
            found = find_config(folder) if search else None
            by_folder[folder] = combine(defaults, settings_of(*found) if found else {}, from_command_line)
        by_source[source] = by_folder[folder]
    return by_source
