"""Which third-party strings staff meet in English: msgids without a Japanese translation."""

from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import polib

PROJECT_APPS = {"forum", "cms", "search", "matching", "config"}
DOMAINS = ("django", "djangojs")
LANGUAGE = "ja"


@dataclass
class AppCatalogue:
    """One installed app's strings in one domain and the ones still missing in Japanese."""

    label: str
    domain: str
    total: int = 0
    missing: list[polib.POEntry] = field(default_factory=list)


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _translated(path: Path) -> set[tuple[str, str]]:
    """Keys of the entries of a .po file that carry a translation (fuzzy ones do not count)."""
    if not path.exists():
        return set()
    return {_key(entry) for entry in polib.pofile(str(path)).translated_entries()}


def _third_party_locales() -> list[tuple[str, Path]]:
    """(app label, locale directory) of every installed app that is not the project's own."""
    found = []
    for config in apps.get_app_configs():
        if config.name.split(".")[0] in PROJECT_APPS:
            continue
        locale = Path(config.path) / "locale"
        if (locale / "en" / "LC_MESSAGES").is_dir():
            found.append((config.name, locale))
    return found


def _project_translated(domain: str) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for locale in settings.LOCALE_PATHS:
        keys |= _translated(Path(locale) / LANGUAGE / "LC_MESSAGES" / f"{domain}.po")
    return keys


def catalogue_gaps(domains=DOMAINS) -> list[AppCatalogue]:
    """Each third-party app's strings that neither its own Japanese catalogue nor the project's
    translate. In the django domain Django merges every app's catalogue into one, so a string
    another app translates counts as translated; a JavaScript catalogue is read per package."""
    locales = _third_party_locales()
    result = []
    for domain in domains:
        project = _project_translated(domain)
        own = {
            name: _translated(loc / LANGUAGE / "LC_MESSAGES" / f"{domain}.po")
            for name, loc in locales
        }
        merged = set().union(*own.values()) if domain == "django" else set()
        for name, locale in locales:
            template = locale / "en" / "LC_MESSAGES" / f"{domain}.po"
            if not template.exists():
                continue
            known = project | own[name] | merged
            entries = [entry for entry in polib.pofile(str(template)) if not entry.obsolete]
            missing = [entry for entry in entries if _key(entry) not in known]
            result.append(AppCatalogue(name, domain, len(entries), missing))
    return result


def _skeleton(gaps: list[AppCatalogue], domain: str) -> polib.POFile:
    """The missing entries of one domain as a .po file to translate into the project's catalogue."""
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": LANGUAGE,
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    seen = set()
    for gap in gaps:
        for entry in gap.missing:
            if gap.domain != domain or _key(entry) in seen:
                continue
            seen.add(_key(entry))
            po.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgstr="",
                    msgstr_plural={0: ""} if entry.msgid_plural else {},
                    flags=[flag for flag in entry.flags if flag != "fuzzy"],
                    comment=gap.label,
                )
            )
    return po


class Command(BaseCommand):
    help = (
        "Wagtail・allauth・Django 管理画面などの文字列のうち、日本語訳がまだないものを一覧します"
        "（Wagtail の更新後に、locale/ja に訳すべき新しい文字列を知るために使います）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--domain", choices=DOMAINS, help="django か djangojs だけを調べます。")
        parser.add_argument(
            "--skeleton",
            metavar="PATH",
            help="足りない項目を .po 形式で書き出します（--domain と共に）。",
        )
        parser.add_argument(
            "--fail", action="store_true", help="足りない訳があれば終了コード 1 で終わります。"
        )

    def handle(self, *args, domain=None, skeleton=None, fail=False, **options):
        gaps = catalogue_gaps((domain,) if domain else DOMAINS)
        for gap in gaps:
            self.stdout.write(
                f"{gap.label} [{gap.domain}]: {gap.total - len(gap.missing)}/{gap.total}"
            )
            for entry in gap.missing:
                context = f"{entry.msgctxt} | " if entry.msgctxt else ""
                self.stdout.write(f"    {context}{entry.msgid!r}")
        if skeleton:
            if not domain:
                raise CommandError("--skeleton には --domain が必要です。")
            _skeleton(gaps, domain).save(skeleton)
        missing = sum(len(gap.missing) for gap in gaps)
        self.stdout.write(f"missing: {missing}")
        if fail and missing:
            raise CommandError(f"{missing} 件の文字列に日本語訳がありません。")
