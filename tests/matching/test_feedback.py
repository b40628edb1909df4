"""Votes and accepted proposals become labelled evaluation data that evaluate_matching reads."""

import json

from django.core.management import call_command

import pytest

from forum.models import Proposal
from matching.evaluation import load_labelled
from matching.feedback import feedback_dataset
from matching.models import SuggestionFeedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(pairing_world):
    """A Sakai flood challenge, a fitting sensor solution, an unrelated app, and who votes."""
    return pairing_world


def _vote(pairs, user, solution, useful):
    SuggestionFeedback.objects.create(
        user=user, challenge=pairs["challenge"], solution=solution, useful=useful
    )


def test_votes_and_accepted_proposals_become_grades(world):
    """Useful by majority → 2, accepted proposal → 3 (over any vote), voted down → listed apart."""
    challenge, fitting, unrelated = world["challenge"], world["fitting"], world["unrelated"]
    _vote(world, world["sakai"], fitting, True)
    _vote(world, world["secretariat"], unrelated, False)
    data = feedback_dataset()
    key = f"challenge:{challenge.pk}"
    assert data["relevance"] == {key: {f"solution:{fitting.pk}": 2}}
    assert data["not_useful"] == [[key, f"solution:{unrelated.pk}"]]
    assert {c["id"] for c in data["challenges"]} >= {key}
    Proposal.objects.create(
        challenge=challenge,
        organisation=world["organisation"],
        solution=unrelated,
        title="t",
        summary="s",
        status="accepted",
    )
    data = feedback_dataset()
    assert data["relevance"][key] == {f"solution:{fitting.pk}": 2, f"solution:{unrelated.pk}": 3}
    assert data["not_useful"] == []


def test_a_tie_grades_nothing(world):
    """One useful and one not-useful vote on the same pair say nothing either way."""
    _vote(world, world["sakai"], world["fitting"], True)
    _vote(world, world["secretariat"], world["fitting"], False)
    data = feedback_dataset()
    assert data["relevance"] == {} and data["not_useful"] == []


def test_exported_file_is_read_by_evaluate_matching(world, tmp_path, capsys):
    """The command writes the development sets' format; evaluate_matching measures it."""
    _vote(world, world["sakai"], world["fitting"], True)
    path = tmp_path / "feedback.json"
    call_command("export_matching_feedback", "--output", str(path))
    profiles, relevance = load_labelled(path)
    assert f"solution:{world['fitting'].pk}" in {p.id for p in profiles}
    assert relevance == {
        f"challenge:{world['challenge'].pk}": {f"solution:{world['fitting'].pk}": 2}
    }
    capsys.readouterr()
    call_command("evaluate_matching", str(path), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["challenge_to_solutions"]["mrr"] == 1.0
