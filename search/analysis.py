"""Text analysis shared by the embedded backend and mirrored by the Elasticsearch analyzers.

Every text field is analysed twice, as the index mapping does:

- bigrams (the field itself): width and compatibility folding (NFKC, like cjk_width),
  lowercasing, runs of Han, Hiragana and Katakana turned into overlapping bigrams (cjk_bigram:
  a lone character stays a unigram), Latin words and numbers kept whole, and the shared
  synonym list. Bigrams find what a dictionary does not know (recall).
- words (the ``.words`` sub-field): the same folding, then morphological analysis with the
  IPADIC dictionary (Janome here, Kuromoji in Elasticsearch: both embed mecab-ipadic-2.7.0),
  the glossary's Japanese terms added as a user dictionary so that ドローン or 下水道 stay one
  word, function words dropped by part of speech (``STOP_TAGS``), verbs and adjectives in their
  base form (kuromoji_baseform) and the trailing long-vowel mark of katakana words of four or
  more characters dropped (kuromoji_stemmer: サーバー → サーバ). Words give whole-word term
  frequencies and the names that reasons and highlights show.
"""

import re
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from search.bm25 import TEXT_FIELDS, WORD_SUFFIX

SYNONYMS_PATH = Path(__file__).resolve().parent / "synonyms" / "synonyms.txt"

_CJK = r"\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ"
_TOKEN = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:[.'][a-z0-9]+)*")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_LATIN_CHAR = re.compile(r"[A-Za-z]")


def normalise(text: str) -> str:
    """Fold width and compatibility forms and case: ＡＩ → ai, ﾄﾞﾛｰﾝ → ドローン."""
    return unicodedata.normalize("NFKC", text or "").lower()


def folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The text folded like normalise, with the original index of each folded character.

    Characters are folded one at a time so positions can be mapped back; a half-width voiced
    mark (ﾞ, ﾟ) folds into a combining mark and is joined to the letter before it.
    """
    chars: list[str] = []
    starts: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).lower()
        if folded and unicodedata.combining(folded[0]) and chars:
            composed = unicodedata.normalize("NFC", chars[-1] + folded)
            if len(composed) == 1:
                chars[-1] = composed
                continue
        for piece in folded:
            chars.append(piece)
            starts.append(index)
    return "".join(chars), starts


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokenize(text: str) -> list[str]:
    """Tokens of already normalised text: CJK bigrams and whole Latin words."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(text):
        piece = match.group(0)
        if piece[0].isascii():
            tokens.append(piece)
        else:
            tokens.extend(_bigrams(piece))
    return tokens


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The synonym list, normalised, one tuple of equivalent terms per line."""
    groups = []
    for line in SYNONYMS_PATH.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        terms = tuple(
            dict.fromkeys(normalise(term).strip() for term in line.split(",") if term.strip())
        )
        if len(terms) > 1:
            groups.append(terms)
    return tuple(groups)


_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _synonym_lookup() -> tuple[dict, dict, dict]:
    """Synonym terms keyed for a single pass over a text.

    Latin terms are sequences of whole words, keyed by their first word (so "ai" never
    matches inside "maintain"); other terms are substrings, keyed by their first character.
    """
    groups_of: dict[str, list[int]] = {}
    for number, group in enumerate(synonym_groups()):
        for term in group:
            groups_of.setdefault(term, []).append(number)
    latin: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    other: dict[str, list[str]] = {}
    for term in groups_of:
        if term.isascii():
            words = tuple(_WORD.findall(term))
            if words:
                latin.setdefault(words[0], []).append((words, term))
        else:
            other.setdefault(term[0], []).append(term)
    return latin, other, {term: tuple(numbers) for term, numbers in groups_of.items()}


def _latin_terms_in(text: str, latin: dict) -> set[str]:
    """Latin synonym terms whose whole words occur in the text, in sequence."""
    words = _WORD.findall(text)
    return {
        term
        for index, word in enumerate(words)
        for sequence, term in latin.get(word, ())
        if tuple(words[index : index + len(sequence)]) == sequence
    }


def _other_terms_in(text: str, other: dict) -> set[str]:
    """Non-Latin synonym terms that occur anywhere in the text."""
    return {
        term
        for index, char in enumerate(text)
        for term in other.get(char, ())
        if text.startswith(term, index)
    }


def synonyms_found(text: str) -> dict[int, set[str]]:
    """Synonym groups present in normalised text, with the terms of each that occur."""
    if not synonym_groups():
        return {}
    latin, other, groups_of = _synonym_lookup()
    found: dict[int, set[str]] = {}
    for term in _latin_terms_in(text, latin) | _other_terms_in(text, other):
        for number in groups_of[term]:
            found.setdefault(number, set()).add(term)
    return found


def synonym_group_terms(term: str) -> set[str]:
    """Every term of the glossary groups the (normalised) term belongs to; empty if none."""
    numbers = _synonym_lookup()[2].get(normalise(term).strip(), ())
    groups = synonym_groups()
    return {other for number in numbers for other in groups[number]}


def canonical_term(term: str) -> str:
    """One spelling per synonym group, so ＡＩ, AI and 人工知能 compare equal."""
    value = normalise(term).strip()
    numbers = _synonym_lookup()[2].get(value)
    return synonym_groups()[numbers[0]][0] if numbers else value


def expand_synonyms(text: str) -> str:
    """Append the equivalents of every synonym found in normalised text."""
    groups = synonym_groups()
    extra = []
    for number, present in synonyms_found(text).items():
        extra.extend(term for term in groups[number] if term not in present)
    return text if not extra else f"{text} {' '.join(extra)}"


def analyze(text: str, *, synonyms: bool = True) -> list[str]:
    """The index and query tokens of a text (bigrams and whole Latin words)."""
    normalised = normalise(text)
    if synonyms:
        normalised = expand_synonyms(normalised)
    return tokenize(normalised)


# --- Words: morphological analysis with the IPADIC dictionary -----------------------------------

# Parts of speech that are not content words (particles, auxiliaries, symbols, pronouns,
# numbers, dependent nouns, affixes, adverbs …), as Kuromoji writes them; the Elasticsearch
# kuromoji_part_of_speech filter receives the same list.
STOP_TAGS = (
    "その他-間投",
    "フィラー",
    "副詞-一般",
    "副詞-助詞類接続",
    "助動詞",
    "助詞-並立助詞",
    "助詞-係助詞",
    "助詞-副助詞",
    "助詞-副助詞／並立助詞／終助詞",
    "助詞-副詞化",
    "助詞-接続助詞",
    "助詞-格助詞-一般",
    "助詞-格助詞-引用",
    "助詞-格助詞-連語",
    "助詞-特殊",
    "助詞-終助詞",
    "助詞-連体化",
    "助詞-間投助詞",
    "名詞-代名詞-一般",
    "名詞-代名詞-縮約",
    "名詞-副詞可能",
    "名詞-引用文字列",
    "名詞-接尾-サ変接続",
    "名詞-接尾-人名",
    "名詞-接尾-副詞可能",
    "名詞-接尾-助動詞語幹",
    "名詞-接尾-助数詞",
    "名詞-接尾-一般",
    "名詞-接尾-地域",
    "名詞-接尾-形容動詞語幹",
    "名詞-接尾-特殊",
    "名詞-接続詞的",
    "名詞-数",
    "名詞-特殊-助動詞語幹",
    "名詞-動詞非自立的",
    "名詞-非自立-一般",
    "名詞-非自立-副詞可能",
    "名詞-非自立-助動詞語幹",
    "名詞-非自立-形容動詞語幹",
    "形容詞-接尾",
    "形容詞-非自立",
    "動詞-接尾",
    "動詞-非自立",
    "接続詞",
    "接頭詞-名詞接続",
    "接頭詞-動詞接続",
    "接頭詞-形容詞接続",
    "接頭詞-数接続",
    "感動詞",
    "記号-アルファベット",
    "記号-一般",
    "記号-句点",
    "記号-括弧閉",
    "記号-括弧開",
    "記号-空白",
    "記号-読点",
    "連体詞",
    "非言語音",
)
_STOP = frozenset(STOP_TAGS)
# Content words too common to tell anything (the Elasticsearch "stop" filter of the words
# analyzer receives the same list): light verbs, and Lucene's English stop words for the Latin
# words the glossary and English profiles bring.
STOP_WORDS = (
    *("する", "ある", "いる", "なる", "できる", "おる", "いう", "れる", "られる", "せる"),
    *("させる", "ない", "よい", "いい", "こと", "もの", "ため", "よう", "ところ"),
    *("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into"),
    *("is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then"),
    *("there", "these", "they", "this", "to", "was", "will", "with"),
)
_STOP_WORDS = frozenset(STOP_WORDS)
# Parts of speech that attach to the word beside them: a reason names 高齢者, not 高齢.
_AFFIX = ("名詞-接尾", "接頭詞-名詞接続")
KATAKANA_STEM_MINIMUM = 4  # kuromoji_stemmer's default minimum_length
_KATAKANA = re.compile(r"^[\u30a0-\u30ff]+$")


@dataclass(frozen=True)
class Word:
    """One token of the analyser: where it stands in the folded text and its index term."""

    surface: str
    start: int
    end: int
    pos: str  # "名詞-一般", hyphenated like Kuromoji's part-of-speech attribute
    term: str  # the normalised form; "" for a function word

    @property
    def is_affix(self) -> bool:
        """A suffix or prefix that belongs to its neighbour (者 of 高齢者, 各 of 各地)."""
        return self.pos.startswith(_AFFIX)


def user_dictionary_terms() -> list[str]:
    """The glossary's Japanese terms, which the analyser keeps as single words.

    Terms with a space or only Latin letters are left to the tokenizer, and so are single
    characters (as in the glossary itself).
    """
    terms = {
        term
        for group in synonym_groups()
        for term in group
        if len(term) > 1 and not term.isascii() and " " not in term and _TOKEN.fullmatch(term)
    }
    return sorted(terms)


@lru_cache(maxsize=1)
def _tokenizer():
    from janome.tokenizer import Tokenizer

    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", delete=False) as handle:
        for term in user_dictionary_terms():
            handle.write(f"{term},カスタム名詞,{term}\n")
    path = Path(handle.name)
    try:
        return Tokenizer(str(path), udic_type="simpledic", udic_enc="utf-8")
    finally:
        path.unlink(missing_ok=True)


def _pos(part_of_speech: str) -> str:
    return "-".join(part for part in part_of_speech.split(",") if part != "*")


def _term(surface: str, base_form: str, pos: str) -> str:
    if pos in _STOP or not surface.strip():
        return ""
    term = base_form if base_form not in ("*", "") else surface  # kuromoji_baseform
    if len(term) >= KATAKANA_STEM_MINIMUM and term.endswith("ー") and _KATAKANA.match(term):
        term = term[:-1]
    return "" if term in _STOP_WORDS else term


@lru_cache(maxsize=4096)
def words(folded: str) -> tuple[Word, ...]:
    """Every token of already folded text, with its offsets and its index term.

    Kept for the texts read last: reasons and highlights read the same few documents again.
    """
    found, cursor = [], 0
    for token in _tokenizer().tokenize(folded):
        surface = token.surface
        start = folded.find(surface, cursor)
        if start < 0:  # the tokenizer never rewrites text; kept safe all the same
            continue
        cursor = start + len(surface)
        pos = _pos(token.part_of_speech)
        found.append(Word(surface, start, cursor, pos, _term(surface, token.base_form, pos)))
    return tuple(found)


def word_terms(text: str, *, synonyms: bool = True) -> list[str]:
    """The ``.words`` tokens of a text: content words, normalised, with the glossary."""
    normalised = normalise(text)
    if synonyms:
        normalised = expand_synonyms(normalised)
    return [word.term for word in words(normalised) if word.term]


def analyze_field(name: str, text: str, *, synonyms: bool = True) -> list[str]:
    """The tokens of one indexed field: words for a ``.words`` sub-field, else bigrams."""
    if name.endswith(WORD_SUFFIX):
        return word_terms(text, synonyms=synonyms)
    return analyze(text, synonyms=synonyms)


def analyze_fields(texts: dict[str, str], *, synonyms: bool = True) -> dict[str, list[str]]:
    """Every indexed field (bigrams and words) of a document's text fields."""
    tokens: dict[str, list[str]] = {}
    for name in TEXT_FIELDS:
        text = texts.get(name) or ""
        tokens[name] = analyze(text, synonyms=synonyms)
        tokens[name + WORD_SUFFIX] = word_terms(text, synonyms=synonyms)
    return tokens


def analyze_like(text: str, *, synonyms: bool = True) -> dict[str, list[str]]:
    """A query text analysed for every indexed field, as more-like-this analyses it per field."""
    bigrams, terms = analyze(text, synonyms=synonyms), word_terms(text, synonyms=synonyms)
    result: dict[str, list[str]] = {}
    for name in TEXT_FIELDS:
        result[name] = bigrams
        result[name + WORD_SUFFIX] = terms
    return result


def detect_language(text: str) -> str:
    """ "ja" when Japanese script dominates the text, else "en" (used to calibrate vectors)."""
    folded = unicodedata.normalize("NFKC", text or "")
    japanese = len(_CJK_CHAR.findall(folded))
    latin = len(_LATIN_CHAR.findall(folded))
    # A Japanese character carries about as much as a four-letter English word.
    return "ja" if japanese * 4 >= latin else "en"
