"""The scaled data set of benchmarks/pages.py, built through the project's models.

Run inside Django (``pages.py`` calls it in a subprocess with the benchmark's settings):
2,000 published challenges, 10,000 published solutions of 200 approved organisations and
5,000 projects with 50,000 stage changes, on top of the demo site. Texts are put together
from the Japanese source documents in ``/work/shared/seeds`` (or ``SEEDS_DIR``) and the
forum's bilingual glossary (``search/synonyms/synonyms.txt``), so the index meets a real
vocabulary of thousands of terms; 15 % of the solutions are written in English.

Rows are written in bulk; each is built with the values the model's own ``save`` would give
(normalised organisation names, publication dates, a case study for every public project), and
the database's constraints check the rest. Nothing here touches the index: ``rebuild_index``
builds it afterwards, as after a restore.
"""

from __future__ import annotations

import os
import random
import re
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "search" / "synonyms" / "synonyms.txt"
SEEDS = Path(os.environ.get("SEEDS_DIR", "/work/shared/seeds"))

GOALS_JA = ["の効率化", "の高度化", "の見える化", "の実証", "の支援", "の改善", "による課題解決"]
GOALS_EN = ["platform", "service", "analytics", "monitoring", "pilot", "toolkit"]
EN_SENTENCES = [
    "We provide {a} and {b} for local governments.",
    "Our {a} solution has been deployed in several cities.",
    "The service combines {a} with {b} to reduce costs.",
    "Residents and staff use {a} every day.",
    "A pilot with {b} is ready within three months.",
]


def _is_japanese(term: str) -> bool:
    return any(ord(c) > 0x3000 for c in term)


def vocabulary() -> tuple[list[str], list[str], list[str]]:
    """(Japanese glossary terms, English glossary terms, sentences of the source documents)."""
    ja, en = [], []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        for term in (t.strip() for t in line.split(",")):
            (ja if _is_japanese(term) else en).append(term)
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for sentence in re.split(r"(?<=。)|\n", text):
            sentence = sentence.strip().strip("（）()　 ")
            if 12 <= len(sentence) <= 140:
                sentences.append(sentence)
    return ja, en, sentences


class Writer:
    """Texts in the forum's own words, from the glossary and the source documents."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ja, self.en, self.sentences = vocabulary()

    def title_ja(self) -> str:
        a, b = self.rng.sample(self.ja, 2)
        return f"{a}を活用した{b}{self.rng.choice(GOALS_JA)}"[:200]

    def text_ja(self, sentences: int) -> str:
        a, b = self.rng.sample(self.ja, 2)
        picked = self.rng.sample(self.sentences, min(sentences, len(self.sentences)))
        return "".join([f"{a}と{b}に取り組みます。", *picked])

    def title_en(self) -> str:
        a, b = self.rng.sample(self.en, 2)
        return f"{a.capitalize()} {self.rng.choice(GOALS_EN)} for {b}"[:200]

    def text_en(self, sentences: int) -> str:
        return " ".join(
            self.rng.choice(EN_SENTENCES).format(
                a=self.rng.choice(self.en), b=self.rng.choice(self.en)
            )
            for _ in range(sentences)
        )


def _link(through, rows) -> None:
    through.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


def build(
    *,
    seed: int = 1,
    challenges: int = 2000,
    solutions: int = 10000,
    organisations: int = 200,
    projects: int = 5000,
    changes_per_project: int = 10,
) -> dict[str, int]:
    """Add the scaled rows; returns how many of each the database now holds."""
    from django.db import transaction
    from django.utils import timezone

    from forum.models import (
        Challenge,
        Field,
        Municipality,
        Organisation,
        Project,
        ProjectStageChange,
        SolutionProfile,
        Technology,
    )
    from forum.models.organisations import normalise_name
    from forum.models.projects import STAGE_ORDER

    rng = random.Random(seed)
    writer = Writer(rng)
    now = timezone.now()
    fields = list(Field.objects.all())
    technologies = list(Technology.objects.all())
    municipalities = list(Municipality.objects.all())

    with transaction.atomic():
        orgs = [
            Organisation(
                name=f"ベンチマーク{number:03d}株式会社",
                kind=Organisation.Kind.COMPANY,
                status=Organisation.Status.APPROVED,
                description=writer.text_ja(2),
            )
            for number in range(organisations)
        ]
        for org in orgs:
            org.name_normalised = normalise_name(org.name)
        orgs = Organisation.objects.bulk_create(orgs, batch_size=1000)

        made = Challenge.objects.bulk_create(
            [
                Challenge(
                    title=writer.title_ja(),
                    summary=writer.text_ja(1)[:1000],
                    background=writer.text_ja(3),
                    wanted=writer.text_ja(2),
                    municipality=(municipality := rng.choice(municipalities)),
                    field=rng.choice(fields),
                    url=f"/challenges/{municipality.code}/scaled-{number}/",
                    status=Challenge.Status.OPEN if rng.random() < 0.7 else Challenge.Status.CLOSED,
                    deadline=(now + timedelta(days=rng.randint(-30, 120))).date(),
                    is_published=True,
                    published_at=now - timedelta(minutes=number),
                )
                for number in range(challenges)
            ],
            batch_size=1000,
        )
        _link(
            Challenge.technologies.through,
            [
                Challenge.technologies.through(challenge_id=c.pk, technology_id=t.pk)
                for c in made
                for t in rng.sample(technologies, rng.randint(1, 3))
            ],
        )

        english = [rng.random() < 0.15 for _ in range(solutions)]
        offered = SolutionProfile.objects.bulk_create(
            [
                SolutionProfile(
                    organisation=orgs[number % len(orgs)],
                    title=writer.title_en() if english[number] else writer.title_ja(),
                    summary=(writer.text_en(2) if english[number] else writer.text_ja(1))[:1000],
                    description=writer.text_en(5) if english[number] else writer.text_ja(4),
                    track_record=writer.text_ja(1),
                    language="en" if english[number] else "ja",
                    stage=rng.choice(SolutionProfile.Stage.values),
                    is_published=True,
                    published_at=now - timedelta(minutes=number),
                )
                for number in range(solutions)
            ],
            batch_size=1000,
        )
        through = SolutionProfile.fields.through
        _link(
            through,
            [
                through(solutionprofile_id=s.pk, field_id=f.pk)
                for s in offered
                for f in rng.sample(fields, rng.randint(1, 2))
            ],
        )
        through = SolutionProfile.technologies.through
        _link(
            through,
            [
                through(solutionprofile_id=s.pk, technology_id=t.pk)
                for s in offered
                for t in rng.sample(technologies, rng.randint(1, 3))
            ],
        )
        through = SolutionProfile.track_record_municipalities.through
        _link(
            through,
            [
                through(solutionprofile_id=s.pk, municipality_id=m.pk)
                for s in offered
                for m in rng.sample(municipalities, rng.randint(0, 2))
            ],
        )

        walks = []
        for _ in range(projects):
            position, walk = 0, []
            for _ in range(changes_per_project):
                step = 1 if position == 0 or rng.random() < 0.75 else -1
                target = min(max(position + step, 0), len(STAGE_ORDER) - 1)
                walk.append((STAGE_ORDER[position], STAGE_ORDER[target], step < 0))
                position = target
            walks.append(walk)
        public = [rng.random() < 0.4 for _ in range(projects)]
        started = [now - timedelta(days=rng.randint(30, 900)) for _ in range(projects)]
        rows = Project.objects.bulk_create(
            [
                Project(
                    title=writer.title_ja(),
                    summary=writer.text_ja(1)[:3000],
                    field=rng.choice(fields),
                    stage=walks[number][-1][1],
                    is_public=public[number],
                    case_study=writer.text_ja(4) if public[number] else "",
                    published_at=started[number] if public[number] else None,
                    created_at=started[number],
                )
                for number in range(projects)
            ],
            batch_size=1000,
        )
        through = Project.municipalities.through
        _link(
            through,
            [
                through(project_id=p.pk, municipality_id=m.pk)
                for p in rows
                for m in rng.sample(municipalities, rng.randint(1, 2))
            ],
        )
        through = Project.challenges.through
        _link(through, [through(project_id=p.pk, challenge_id=rng.choice(made).pk) for p in rows])
        ProjectStageChange.objects.bulk_create(
            [
                ProjectStageChange(
                    project=project,
                    actor_role="secretariat",
                    from_stage=from_stage,
                    to_stage=to_stage,
                    is_override=backwards,
                    created_at=started[number] + timedelta(days=7 * step),
                )
                for number, project in enumerate(rows)
                for step, (from_stage, to_stage, backwards) in enumerate(walks[number])
            ],
            batch_size=5000,
        )
    return sizes()


def sizes() -> dict[str, int]:
    """How many rows of each kind the site holds, and the size of the text sources."""
    from forum.models import Challenge, Organisation, Project, ProjectStageChange, SolutionProfile

    ja, en, sentences = vocabulary()
    return {
        "challenges_published": Challenge.objects.filter(is_published=True).count(),
        "solutions_published": SolutionProfile.objects.filter(is_published=True).count(),
        "organisations": Organisation.objects.count(),
        "projects": Project.objects.count(),
        "projects_public": Project.objects.filter(is_public=True).count(),
        "stage_changes": ProjectStageChange.objects.count(),
        "glossary_terms": len(ja) + len(en),
        "source_sentences": len(sentences),
    }
