"""One table of interest rules and challenges, shared by the embedded, query and live tests.

`evaluate_query` reads the stored-query form of a rule the way Elasticsearch evaluates the
part of its query language the rule uses (bool filter/should, terms, match with operator and,
match_none), over a document analysed by search.analysis as the mapping analyses it.
"""

from matching.alerts import InterestRule
from search.analysis import analyze, normalise
from search.backends.percolator import percolator_document

BRIDGE = {
    "title": "ドローンで橋梁を点検したい",
    "summary": "老朽化した橋の点検を安全に進めたい",
    "description": "職員が高所に上らずに済む方法を探しています。",
    "fields": ["infrastructure"],
    "technologies": ["ドローン"],
    "municipalities": ["271403"],
}
ELDERLY = {
    "title": "一人暮らしの高齢者の安否確認",
    "summary": "ｽﾏｰﾄﾌｫﾝを使わない方にも届く仕組みを探しています",
    "description": "Monitoring without cameras is preferred.",
    "fields": ["health"],
    "technologies": ["センサー", "IoT"],
    "municipalities": ["272051"],
}
CASES = [
    # (name, rule, document, expected)
    ("field holds", InterestRule(fields=frozenset({"infrastructure"})), BRIDGE, True),
    ("other field", InterestRule(fields=frozenset({"health"})), BRIDGE, False),
    (
        "any of two fields",
        InterestRule(fields=frozenset({"health", "infrastructure"})),
        BRIDGE,
        True,
    ),
    ("shared technology", InterestRule(technologies=frozenset({"ドローン", "AI"})), BRIDGE, True),
    ("no shared technology", InterestRule(technologies=frozenset({"AI"})), BRIDGE, False),
    ("municipality holds", InterestRule(municipalities=frozenset({"271403"})), BRIDGE, True),
    ("other municipality", InterestRule(municipalities=frozenset({"272051"})), BRIDGE, False),
    ("katakana keyword", InterestRule(keywords=("ドローン",)), BRIDGE, True),
    ("English synonym keyword", InterestRule(keywords=("drone",)), BRIDGE, True),
    ("half-width keyword", InterestRule(keywords=("ﾄﾞﾛｰﾝ",)), BRIDGE, True),
    ("upper-case synonym keyword", InterestRule(keywords=("UAV",)), BRIDGE, True),
    ("keyword absent", InterestRule(keywords=("チャットボット",)), BRIDGE, False),
    ("every word of a keyword", InterestRule(keywords=("橋梁 点検",)), BRIDGE, True),
    ("one word of a keyword missing", InterestRule(keywords=("橋梁 浸水",)), BRIDGE, False),
    ("any keyword is enough", InterestRule(keywords=("浸水", "点検")), BRIDGE, True),
    ("paraphrase synonym", InterestRule(keywords=("見守り",)), ELDERLY, True),
    ("synonym across languages", InterestRule(keywords=("elderly",)), ELDERLY, True),
    (
        "half-width text, full-width keyword",
        InterestRule(keywords=("スマートフォン",)),
        ELDERLY,
        True,
    ),
    ("English text, Japanese keyword", InterestRule(keywords=("カメラ",)), ELDERLY, False),
    (
        "all criteria hold",
        InterestRule(
            fields=frozenset({"infrastructure"}),
            technologies=frozenset({"ドローン"}),
            municipalities=frozenset({"271403"}),
            keywords=("点検",),
        ),
        BRIDGE,
        True,
    ),
    (
        "one criterion fails",
        InterestRule(
            fields=frozenset({"infrastructure"}),
            technologies=frozenset({"ドローン"}),
            municipalities=frozenset({"272051"}),
            keywords=("点検",),
        ),
        BRIDGE,
        False,
    ),
    (
        "technology case differs",
        InterestRule(technologies=frozenset({"iot"})),
        ELDERLY,
        False,
    ),
    ("empty rule matches nothing", InterestRule(), BRIDGE, False),
]


def evaluate_query(query: dict, document: dict) -> bool:
    """Whether a stored query matches a percolated document (see the module docstring)."""
    shown = percolator_document(document)
    tokens = set(analyze(shown["text"]))
    return _holds(query, shown, tokens)


def _holds(query: dict, shown: dict, tokens: set[str]) -> bool:
    [(kind, body)] = query.items()
    if kind == "match_none":
        return False
    if kind == "terms":
        [(name, values)] = body.items()
        return bool(set(values) & set(shown[name]))
    if kind == "match":
        [(name, options)] = body.items()
        assert name == "text" and options["operator"] == "and"
        wanted = analyze(normalise(options["query"]), synonyms=False)
        return bool(wanted) and set(wanted) <= tokens
    if kind == "bool":
        filters = body.get("filter", [])
        should = body.get("should", [])
        if not all(_holds(clause, shown, tokens) for clause in filters):
            return False
        if should:
            hits = sum(_holds(clause, shown, tokens) for clause in should)
            return hits >= body.get("minimum_should_match", 1)
        return True
    raise AssertionError(f"the rule used a query the percolator tests do not know: {kind}")
