"""Every interface message has a translation in each shipped language, and the
catalogues match the code (a new string without translations fails `make test`).

Run `make messages` after changing strings; it updates the .po files and compiles them.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SHIPPED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# %(name)s, %s, %d and {name} must survive translation, or the message breaks at run time.
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdif]|%[sdif]|\{[a-z_0-9]*\}")


def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.po"))


def test_the_help_languages_are_shipped():
    assert SHIPPED == ["fr", "en", "pl", "uk", "ar"]


@pytest.mark.parametrize("code", SHIPPED)
def test_every_message_is_translated(code):
    po = catalogue(code)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{code}: {len(untranslated)} without translation: {untranslated[:5]}"
    assert not fuzzy, f"{code}: {len(fuzzy)} marked fuzzy: {fuzzy[:5]}"
    assert len(po) > 500


@pytest.mark.parametrize("code", SHIPPED)
def test_placeholders_survive_translation(code):
    wrong = []
    for entry in catalogue(code):
        if entry.msgid_plural:
            allowed = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
            # A singular form may leave the number out ("one lesson"), never invent one.
            if any(set(PLACEHOLDER.findall(s)) - allowed for s in entry.msgstr_plural.values()):
                wrong.append(entry.msgid)
        elif sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr)):
            wrong.append(entry.msgid)
    assert not wrong, f"{code}: placeholders differ in {wrong[:5]}"


@pytest.mark.parametrize("code", SHIPPED)
def test_compiled_catalogue_is_current(code):
    po = catalogue(code)
    mo = polib.mofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.mo"))

    def pairs(entries):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in entries
            if e.msgid
        }

    assert pairs(po.translated_entries()) == pairs(mo), f"run `make messages` for {code}"


def test_catalogues_match_the_code(tmp_path):
    """Extract the messages from a copy of the tree and compare: nothing missing, nothing stale."""
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            "node_modules",
            "var",
            ".git",
            "__pycache__",
            "*.sqlite3",
            "media",
            "staticfiles",
        ),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *MAKEMESSAGES_ARGS],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    for code in SHIPPED:
        fresh = {
            (e.msgctxt, e.msgid)
            for e in polib.pofile(str(copy / "locale" / code / "LC_MESSAGES" / "django.po"))
            if not e.obsolete
        }
        shipped = {(e.msgctxt, e.msgid) for e in catalogue(code) if not e.obsolete}
        assert fresh - shipped == set(), f"{code}: new messages, run `make messages`"
        assert shipped - fresh == set(), f"{code}: stale messages, run `make messages`"


# Keep in step with the `messages` target in the Makefile.
MAKEMESSAGES_ARGS = [
    *[arg for code in SHIPPED for arg in ("-l", code)],
    "--ignore=.venv/*",
    "--ignore=node_modules/*",
    "--ignore=var/*",
    "--ignore=tests/*",
    "--no-obsolete",
]
