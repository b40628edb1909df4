"""Where a page's translation stands: plain rules the page editor, the report and the case study
service share (no models, no queries)."""

STATE_MISSING = "missing"
STATE_OUTDATED = "outdated"
STATE_CURRENT = "current"


def english_outdated(has_english: bool, english_changed_at, japanese_changed_at) -> bool:
    """An English version is outdated when the Japanese changed after the English last did."""
    if not has_english or japanese_changed_at is None or english_changed_at is None:
        return False
    return japanese_changed_at > english_changed_at


def language_changes(english_fields: dict[str, str], changed: set[str]) -> tuple[bool, bool]:
    """Whether an edit that changed these fields changed the Japanese text, the English text."""
    japanese = any(name in changed for name in english_fields)
    english = any(name in changed for name in english_fields.values())
    return japanese, english


def stamp_language_changes(page, changed: set[str], now) -> None:
    """Record on the page (before it is saved) which language's text this edit changed."""
    japanese, english = language_changes(page.english_fields, changed)
    if japanese:
        page.japanese_changed_at = now
    if english:
        page.english_changed_at = now
