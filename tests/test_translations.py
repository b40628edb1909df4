import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = ["api", "cms", "config", "forum", "matching", "search", "templates"]


def _entries(text: str) -> dict[str, str]:
    """msgid → msgstr (first plural form) of a .po file, skipping the header."""
    entries = {}
    for block in text.split("\n\n"):
        msgid = _joined(block, "msgid")
        if not msgid:
            continue
        fuzzy = re.search(r"^#, .*fuzzy", block, re.M)
        entries[msgid] = "" if fuzzy else _joined(block, "msgstr") or _joined(block, r"msgstr\[0\]")
    return entries


def _joined(block: str, keyword: str) -> str:
    match = re.search(rf'^{keyword} ((?:".*"\n?)+)', block, re.M)
    return "".join(re.findall(r'"(.*)"', match.group(1))) if match else ""


def test_english_catalogue_translates_every_string():
    """Every Japanese source string has an English translation that is not fuzzy."""
    untranslated = [
        msgid for msgid, msgstr in _entries(PO.read_text("utf-8")).items() if not msgstr
    ]
    assert untranslated == []


def test_english_catalogue_covers_the_source(tmp_path):
    """makemessages over the current source finds no string missing from the catalogue."""
    root = Path(settings.BASE_DIR)
    for name in [*SOURCE_DIRS, "manage.py"]:
        source = root / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "migrations")
            )
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "-v0"],
        cwd=tmp_path,
        check=True,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PATH": "/usr/bin:/bin",
            "VAR_DIR": str(tmp_path / "var"),
        },
    )
    fresh = _entries((tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text("utf-8"))
    known = _entries(PO.read_text("utf-8"))
    assert sorted(set(fresh) - set(known)) == []


def test_english_menu_and_shared_words_read_naturally():
    """Words one Japanese label serves in several roles get the English each role needs: the menu
    in the plural, お知らせ as news beside 通知 as notifications, 評価 as the evaluation stage
    beside feedback on a suggestion, キャンセル as a cancelled registration beside a Cancel link."""
    from django.utils import translation

    from forum.models.projects import Stage

    with translation.override("en"):
        assert translation.pgettext("plural", "ソリューション") == "Solutions"
        assert translation.pgettext("plural", "会員団体") == "Member organisations"
        assert translation.pgettext("news", "お知らせ") == "News"
        assert translation.gettext("通知") == "Notifications"
        assert str(Stage.EVALUATION.label) == "Evaluation"
        assert translation.pgettext("feedback", "評価") == "Feedback"
        assert translation.pgettext("action", "キャンセル") == "Cancel"
        assert translation.gettext("キャンセル") == "Cancelled"


JAPANESE_LETTER = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff「」]")
PUNCTUATION = re.compile(r"[・、（）]")


def _bare_punctuation(source: str) -> list[str]:
    """Japanese separators and brackets written between template tags instead of translated:
    text outside blocktranslate whose neighbours on both sides are not Japanese letters."""
    from django.template.base import Lexer, TokenType

    found, inside = [], 0
    for token in Lexer(source).tokenize():
        word = token.contents.split()[0] if token.contents.split() else ""
        if token.token_type == TokenType.BLOCK:
            inside += word in ("blocktranslate", "comment", "verbatim")
            inside -= word in ("endblocktranslate", "endcomment", "endverbatim")
        if token.token_type != TokenType.TEXT or inside:
            continue
        text = token.contents
        for match in PUNCTUATION.finditer(text):
            before = text[: match.start()].rstrip(" ")[-1:]
            after = text[match.end() :].lstrip(" ")[:1]
            if not JAPANESE_LETTER.match(before or " ") and not JAPANESE_LETTER.match(after or " "):
                found.append(text[max(0, match.start() - 20) : match.end() + 20])
    return found


def test_templates_translate_their_separators_and_brackets():
    """「・」「、」「（」「）」 between values come from the catalogue (" · ", ", ", " (", ")" in
    English), so an English page never shows Japanese punctuation around English words."""
    templates = Path(settings.BASE_DIR) / "templates"
    bare = {
        str(path.relative_to(templates)): found
        for path in sorted(templates.rglob("*.html"))
        if (found := _bare_punctuation(path.read_text("utf-8")))
    }
    assert bare == {}


def test_english_search_hint_gives_english_examples():
    """The search page's hint for an empty result suggests English words in English."""
    from django.utils import translation

    with translation.override("en"):
        hint = translation.gettext(
            "言葉を短くするか、別の言い方（例: 「見守り」と「安否確認」）を試してください。"
        )
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", hint)
    assert "monitoring" in hint
