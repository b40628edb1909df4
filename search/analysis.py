"""Text analysis shared by the embedded backend and mirrored by the Elasticsearch analyzers.

Every text field is analysed twice, as the index mapping does:

- bigrams (the field itself): width and compatibility folding (NFKC, like cjk_width),
  lowercasing, runs of Han, Hiragana and Katakana turned into overlapping bigrams (cjk_bigram:
  a lone character stays a unigram), Latin words and numbers kept whole, and the shared
  synonym list. Bigrams find what a dictionary does not know (recall).
- words (the ``.words`` sub-field): the same folding, then morphological analysis with the
  IPADIC dictionary (MeCab through fugashi here, Kuromoji in Elasticsearch: both read
  mecab-ipadic-2.7.0),
  the glossary's Japanese terms added as a user dictionary so that ドローン or 下水道 stay one
  word, function words dropped by part of speech (``STOP_TAGS``), verbs and adjectives in their
  base form (kuromoji_baseform) and the trailing long-vowel mark of katakana words of four or
  more characters dropped (kuromoji_stemmer: サーバー → サーバ). Words give whole-word term
  frequencies and the names that reasons and highlights show.
"""

import hashlib
import os
import re
import shlex
import subprocess
import sys
import tempfile
import threading
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


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char).lower()


@lru_cache(maxsize=2048)
def folded_with_positions(text: str) -> tuple[str, tuple[int, ...]]:
    """The text folded like normalise, with the original index of each folded character.

    Characters are folded one at a time so positions can be mapped back; a half-width voiced
    mark (ﾞ, ﾟ) folds into a combining mark and is joined to the letter before it. Kept for
    the texts read last: reasons explain the same suggested documents again and again.
    """
    if text.isascii():  # NFKC leaves ASCII as it is
        return text.lower(), tuple(range(len(text)))
    chars: list[str] = []
    starts: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        if folded and unicodedata.combining(folded[0]) and chars:
            composed = unicodedata.normalize("NFC", chars[-1] + folded)
            if len(composed) == 1:
                chars[-1] = composed
                continue
        for piece in folded:
            chars.append(piece)
            starts.append(index)
    return "".join(chars), tuple(starts)


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
def synonym_lookup() -> tuple[dict, dict, dict]:
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
    latin, other, groups_of = synonym_lookup()
    found: dict[int, set[str]] = {}
    for term in _latin_terms_in(text, latin) | _other_terms_in(text, other):
        for number in groups_of[term]:
            found.setdefault(number, set()).add(term)
    return found


def synonym_group_terms(term: str) -> set[str]:
    """Every term of the glossary groups the (normalised) term belongs to; empty if none."""
    numbers = synonym_lookup()[2].get(normalise(term).strip(), ())
    groups = synonym_groups()
    return {other for number in numbers for other in groups[number]}


def canonical_term(term: str) -> str:
    """One spelling per synonym group, so ＡＩ, AI and 人工知能 compare equal."""
    value = normalise(term).strip()
    numbers = synonym_lookup()[2].get(value)
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
_LOANWORD = re.compile(r"^[\u30a1-\u30fa\u30fc]+$")  # katakana and ー, not the middle dot


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


# Words newer than mecab-ipadic-2.7.0 (2007), which Janome's and Lucene's copies of IPADIC added.
NEWER_WORDS = ("令和",)


def user_dictionary_terms() -> list[str]:
    """The glossary's Japanese terms (and NEWER_WORDS), which the analyser keeps as single words.

    Terms with a space or only Latin letters are left to the tokenizer, and so are single
    characters (as in the glossary itself).
    """
    terms = {
        term
        for group in synonym_groups()
        for term in group
        if len(term) > 1 and not term.isascii() and " " not in term and _TOKEN.fullmatch(term)
    }
    return sorted(terms | set(NEWER_WORDS))


# The glossary's terms enter the dictionary as Janome's and Kuromoji's user dictionaries take
# them: a part of speech of their own (カスタム名詞), the sentence-boundary context and the lowest
# cost, so that no reading of the text splits them.
_USER_CONTEXT_ID = 0
_USER_WORD_COST = -32768
_UNKNOWN = 1  # MeCab's status of a word read by the unknown-word rules (MECAB_UNK_NODE)
_local = threading.local()


def _user_dictionary_rows() -> str:
    return "".join(
        f"{term},{_USER_CONTEXT_ID},{_USER_CONTEXT_ID},{_USER_WORD_COST},"
        f"カスタム名詞,*,*,*,*,*,{term},{term},{term}\n"
        for term in user_dictionary_terms()
    )


@lru_cache(maxsize=1)
def _user_dictionary() -> Path:
    """The glossary compiled as a MeCab user dictionary: once per machine and glossary version.

    The compiler (mecab-dict-index, shipped in fugashi) runs in its own process: it prints its
    progress and exits on an error, neither of which may happen inside a web process.
    """
    import ipadic

    rows = _user_dictionary_rows()
    digest = hashlib.sha256(f"{ipadic.DICDIR}\n{rows}".encode()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"forum-glossary-{digest}.dic"
    if target.exists():
        return target
    with tempfile.TemporaryDirectory() as work:
        source, built = Path(work, "glossary.csv"), Path(work, "glossary.dic")
        source.write_text(rows, encoding="utf-8")
        arguments = ["mecab-dict-index", "-d", ipadic.DICDIR, "-u", str(built)]
        arguments += ["-f", "utf-8", "-t", "utf-8", str(source)]
        subprocess.run(
            [sys.executable, "-c", _COMPILE, shlex.join(arguments)],
            check=True,
            capture_output=True,
        )
        os.replace(built, target)  # whole or not at all: processes may race to build it
    return target


_COMPILE = "import sys, fugashi; fugashi.build_dictionary(sys.argv[1])"


def _tagger():
    """This thread's MeCab tagger (a tagger must not parse two texts at once)."""
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        import fugashi
        import ipadic

        user = shlex.quote(str(_user_dictionary()))
        tagger = _local.tagger = fugashi.GenericTagger(f"{ipadic.MECAB_ARGS} -u {user}")
    return tagger


def _pos(parts) -> str:
    return "-".join(part for part in parts if part != "*")


def _term(surface: str, base_form: str, pos: str) -> str:
    if pos in _STOP or not surface.strip():
        return ""
    term = base_form if base_form not in ("*", "") else surface  # kuromoji_baseform
    if len(term) >= KATAKANA_STEM_MINIMUM and term.endswith("ー") and _KATAKANA.match(term):
        term = term[:-1]
    return "" if term in _STOP_WORDS else term


def _tagged(folded: str) -> list[tuple[Word, bool]]:
    """The tagger's words of folded text with their offsets, each with whether it was unknown."""
    found, cursor = [], 0
    for node in _tagger()(folded):
        surface = node.surface
        start = folded.find(surface, cursor)
        if start < 0:  # the tagger never rewrites text; kept safe all the same
            continue
        if start > cursor:  # MeCab skips white space; it still parts the words on each side
            found.append((Word(folded[cursor:start], cursor, start, "記号-空白", ""), False))
        cursor = start + len(surface)
        features = node.feature  # IPADIC: four parts of speech, …, base form (7th), readings
        pos = _pos(features[:4])
        base_form = features[6] if len(features) > 6 else "*"
        word = Word(surface, start, cursor, pos, _term(surface, base_form, pos))
        found.append((word, node.stat == _UNKNOWN))
    return found


def _katakana_run(words: list[tuple[Word, bool]], index: int) -> int:
    """The end (exclusive) of the run of adjacent katakana words that starts at `index`."""
    end = index + 1
    while (
        end < len(words)
        and words[end][0].start == words[end - 1][0].end
        and _LOANWORD.match(words[end][0].surface)
    ):
        end += 1
    return end


def _unknown_loanwords_whole(tagged: list[tuple[Word, bool]], folded: str) -> list[Word]:
    """Katakana runs that hold an unknown word, read as one noun.

    Kuromoji and Janome read every katakana run as a possible unknown word; MeCab's IPADIC only
    where no dictionary word starts, so a glossary word inside an unknown loanword (マップ of
    ヒートマップ) would cut it into pieces. Such a run is one word, as the other two read it.
    """
    result, index = [], 0
    while index < len(tagged):
        word = tagged[index][0]
        end = _katakana_run(tagged, index) if _LOANWORD.match(word.surface) else index + 1
        if end - index > 1 and any(unknown for _, unknown in tagged[index:end]):
            last = tagged[end - 1][0]
            surface = folded[word.start : last.end]
            pos = "名詞-一般"
            result.append(Word(surface, word.start, last.end, pos, _term(surface, "*", pos)))
            index = end
        else:
            result.append(word)
            index += 1
    return result


@lru_cache(maxsize=4096)
def words(folded: str) -> tuple[Word, ...]:
    """Every token of already folded text, with its offsets and its index term.

    Kept for the texts read last: reasons and highlights read the same few documents again.
    """
    return tuple(_unknown_loanwords_whole(_tagged(folded), folded))


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
