"""The phrases two texts share, found from the terms that matched, for reasons and highlights.

Terms are analysed tokens (Japanese bigrams, whole Latin words); marking every place where
one occurs in the original text and joining neighbouring marks gives readable phrases:
橋梁, 梁点, 点検 become 「橋梁点検」.
"""

import html
import re

from django.utils.safestring import SafeString, mark_safe

from search.analysis import folded_with_positions

_KANA_ONLY = re.compile(r"^[\u3041-\u309fー・、。\s]+$")
# Bigrams straddle word boundaries (暮ら|らし|し高 …). A run of matched bigrams that starts in the
# middle of a word is widened to the word's start (らし高齢者 → 暮らし高齢者), cut where a particle
# stands before a new word (高齢者の見守り → 高齢者, 見守り), and loses a particle at either end.
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff々]")
_PARTICLE_BEFORE_WORD = re.compile(r"[のがをにはでとへもや](?=[^\u3041-\u309f])")
_LEADING = re.compile(r"^([のがをにはでとへもや](?=[^\u3041-\u309f])|[・、。「」（）\s])+")
_TRAILING = re.compile(r"[のがをにはでとへもや・、。「」（）\s]+$")


def _spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """Merged [start, end) ranges of the original text covered by the terms."""
    folded, positions = folded_with_positions(text)
    covered = bytearray(len(text))
    for term in terms:
        if not term:
            continue
        if term.isascii():
            pattern = rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])"
        else:
            pattern = re.escape(term)
        for match in re.finditer(pattern, folded):
            # To the start of the next folded character, so a voiced mark joined to the
            # last letter (ﾄﾞ → ド) is covered with it.
            after = positions[match.end()] if match.end() < len(positions) else len(text)
            for i in range(positions[match.start()], max(positions[match.end() - 1] + 1, after)):
                covered[i] = 1
    spans, start = [], None
    for index, flag in enumerate(covered):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            spans.append((start, index))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


def shared_phrases(text: str, terms: set[str], *, limit: int = 3) -> list[str]:
    """The longest phrases of the text made of matched terms (kana-only runs left out)."""
    seen = {}
    for start, end in _spans(text, terms):
        if _HIRAGANA.match(text[start : start + 1]):
            while start > 0 and _KANJI.match(text[start - 1]):
                start -= 1
        for piece in _PARTICLE_BEFORE_WORD.split(text[start:end].strip()):
            phrase = _TRAILING.sub("", _LEADING.sub("", piece))
            if len(phrase) < 2 or _KANA_ONLY.match(phrase):
                continue
            seen.setdefault(phrase, len(phrase))
    return sorted(seen, key=lambda p: (-seen[p], p))[:limit]


def highlight(text: str, terms: set[str]) -> SafeString:
    """The text, escaped, with the matched phrases marked."""
    out, last = [], 0
    for start, end in _spans(text, terms):
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return mark_safe("".join(out))
