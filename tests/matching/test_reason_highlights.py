"""Reasons name what matched through the glossary, a spelling variant or a technology, in both
backends: the target's own words, never only the literal text the source used."""

from matching.backends.elasticsearch import match_body, parse_match_response
from matching.backends.embedded import Matcher
from matching.query import Profile


def _profiles():
    return [
        Profile(
            "c1",
            "challenge",
            "ドローンでため池を点検したい",
            "庁内サーバーに点検の記録を残したい",
            fields=["infrastructure"],
            technologies=["ＩｏＴ", "ﾄﾞﾛｰﾝ"],
            status="open",
        ),
        Profile(
            "s1",
            "solution",
            "UAVによるため池の点検",
            "記録はサーバで管理します",
            fields=["infrastructure"],
            technologies=["IoT", "drone"],
        ),
        Profile("s2", "solution", "観光アプリ", "観光客向けの案内", fields=["industry"]),
    ]


def _reasons(suggestion):
    return {reason.clause: reason.detail for reason in suggestion.reasons}


def test_embedded_reasons_name_the_targets_words_reached_through_glossary_and_variant():
    """ドローン reaches UAV through the glossary and サーバー reaches サーバ as a word: the text
    reason names both as the solution writes them; the technologies are shared by any spelling."""
    matcher = Matcher(_profiles())
    best = matcher.suggest(matcher.profiles["c1"], limit=3)[0]
    assert best.doc_id == "s1"
    reasons = _reasons(best)
    phrases = reasons["text"].split("、")
    assert "UAV" in phrases and "サーバ" in " ".join(phrases)
    assert "ドローン" not in reasons["text"]  # the source's word, not the target's
    assert reasons["shared_technology"] == "IoT, drone"


def test_the_other_direction_names_the_challenges_own_spelling():
    """From the solution, the reasons name ドローン and サーバー as the challenge writes them."""
    matcher = Matcher(_profiles())
    best = matcher.suggest(matcher.profiles["s1"], limit=3)[0]
    reasons = _reasons(best)
    assert best.doc_id == "c1"
    assert "ドローン" in reasons["text"] and "サーバー" in reasons["text"]
    assert reasons["shared_technology"] == "ＩｏＴ, ﾄﾞﾛｰﾝ"


def test_elasticsearch_reasons_read_the_words_its_highlight_marked_through_the_glossary():
    """A hit whose words sub-field was marked at UAV (the cluster's synonym filter) gives the
    reason UAV, read on word boundaries; a marked fragment of a variant gives the whole word."""
    matcher = Matcher(_profiles())
    query = matcher.query_for(matcher.profiles["c1"])
    assert "highlight" in match_body(query)
    response = {
        "hits": {
            "hits": [
                {
                    "_id": "solution:1",
                    "_score": 1.4,
                    "_source": {
                        "title": "UAVによるため池の点検",
                        "summary": "記録はサーバで管理します",
                        "description": "",
                        "fields": ["infrastructure"],
                        "technology_keys": ["iot", "ドローン"],
                    },
                    "matched_queries": {"text": 0.03, "shared_technology.0": 0.015},
                    "highlight": {
                        "title.words": ["<em>UAV</em>によるため池の<em>点検</em>"],
                        "summary.words": ["記録は<em>サーバ</em>で管理します"],
                    },
                }
            ]
        }
    }
    [suggestion] = parse_match_response(response, query)
    reasons = _reasons(suggestion)
    assert "UAV" in reasons["text"] and "サーバ" in reasons["text"]
    assert "shared_technology" in reasons
