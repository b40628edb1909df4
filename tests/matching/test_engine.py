import json

from django.core.management import CommandError, call_command

import pytest

from matching.engine import Matcher, Profile
from matching.evaluation import ndcg_at, precision_at, reciprocal_rank


def _matcher():
    return Matcher(
        [
            Profile(
                "c1",
                "challenge",
                "ため池の水位を見守りたい",
                "大雨の時にため池の水位を知りたい",
                fields=["safety"],
                technologies=["センサー"],
                municipalities=["堺市"],
                stage="poc",
            ),
            Profile(
                "s1",
                "solution",
                "水位センサーで見守り",
                "ため池や河川の水位を見守るサービス",
                fields=["safety"],
                technologies=["ｾﾝｻｰ"],
                municipalities=["堺市"],
                stage="in_service",
            ),
            Profile(
                "s2",
                "solution",
                "観光アプリ",
                "観光客向けの案内アプリ",
                fields=["industry"],
                technologies=["アプリ"],
            ),
            Profile(
                "s3",
                "solution",
                "Water level monitoring with drones",
                "UAV flights check reservoirs after heavy rain",
                fields=["safety"],
                technologies=["drone"],
            ),
        ]
    )


def test_best_match_ranks_first_with_named_reasons():
    """The on-topic solution ranks first and says why: text, field, technology, municipality, stage."""
    matcher = _matcher()
    suggestions = matcher.suggest(matcher.profiles["c1"])
    assert suggestions[0].doc_id == "s1"
    clauses = {r.clause for r in suggestions[0].reasons}
    assert clauses == {"text", "same_field", "shared_technology", "same_municipality", "stage_fit"}
    labels = [r.label for r in suggestions[0].reasons]
    assert any(label.startswith("共通の技術") for label in labels)
    assert "s2" not in [s.doc_id for s in suggestions[:2]]


def test_other_direction_uses_the_same_clauses():
    """From a solution, the matching challenge comes first with the same reasons."""
    matcher = _matcher()
    suggestions = matcher.suggest(matcher.profiles["s1"])
    assert suggestions[0].doc_id == "c1"
    assert {r.clause for r in suggestions[0].reasons} >= {"same_field", "shared_technology"}


def test_text_only_ranking_has_no_structured_reasons():
    """The baseline ranks by text alone."""
    matcher = _matcher()
    for suggestion in matcher.suggest(matcher.profiles["c1"], text_only=True):
        assert {r.clause for r in suggestion.reasons} == {"text"}


def test_metrics_follow_their_definitions():
    """nDCG@5 with 2^g−1 gains, P@3 at grade ≥2 and MRR of the first grade ≥2."""
    grades = {"a": 3, "b": 2, "c": 1}
    assert ndcg_at(["a", "b", "c"], grades) == pytest.approx(1.0)
    assert ndcg_at(["x", "a"], grades) < 1.0
    assert precision_at(["c", "b", "a"], grades) == pytest.approx(2 / 3)
    assert reciprocal_rank(["c", "x", "b"], grades) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], grades) == 0.0


def test_evaluate_command_reports_both_directions_and_baseline(tmp_path, capsys):
    """evaluate_matching --json prints scores per direction beside the text-only baseline."""
    path = tmp_path / "set.json"
    path.write_text(
        json.dumps(
            {
                "challenges": [
                    {
                        "id": "c1",
                        "municipality": "堺市",
                        "field": "safety",
                        "title": "ため池の水位",
                        "summary": "水位を見守りたい",
                        "description": "",
                        "technologies": ["センサー"],
                        "desired_stage": "poc",
                    }
                ],
                "solutions": [
                    {
                        "id": "s1",
                        "title": "水位センサー",
                        "summary": "ため池の水位を見守る",
                        "description": "",
                        "fields": ["safety"],
                        "technologies": ["センサー"],
                    },
                    {
                        "id": "s2",
                        "title": "観光アプリ",
                        "summary": "観光案内",
                        "description": "",
                        "fields": ["industry"],
                        "technologies": [],
                    },
                ],
                "relevance": {"c1": {"s1": 3}},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    call_command("evaluate_matching", str(path), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["backend"] == "local"
    assert report["challenge_to_solutions"]["ndcg@5"] == 1.0
    assert report["solution_to_challenges"]["mrr"] == 1.0
    assert set(report["baseline_text_only_bm25"]) == {
        "challenge_to_solutions",
        "solution_to_challenges",
    }


def test_evaluate_command_explains_missing_file():
    """A wrong path gives a clear error, not a traceback."""
    with pytest.raises(CommandError, match="ファイルが見つかりません"):
        call_command("evaluate_matching", "/nonexistent/set.json")
