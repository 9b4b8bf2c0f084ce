"""What a newcomer reads first: every command, option and argument says what it is for."""

import argparse

import pytest

from whosaidwhat.cli import build_parser, main


def _actions(parser: argparse.ArgumentParser, path: tuple[str, ...] = ("whosaidwhat",)):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield path, action
            for name, sub in action.choices.items():
                yield from _actions(sub, path + (name,))
        elif not isinstance(action, argparse._HelpAction):
            yield path, action


def test_every_command_option_and_argument_has_a_help_line():
    missing = [f"{' '.join(path)} {'/'.join(a.option_strings) or a.dest}" for path, a in _actions(build_parser())
               if not a.help]
    assert missing == []


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("whosaidwhat ")


def test_the_top_level_help_lists_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "exit status:" in out and "  2  input that cannot be used" in out and "`" not in out
