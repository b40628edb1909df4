"""The demo company's published solution profiles."""

from django.db import transaction

from cms.demo.accounts import COMPANY
from forum.models import Field, Organisation, SolutionProfile, Technology
from forum.services.solutions import solution_create, solution_set_published

# title, summary, description, field slugs, technology slugs, stage, track record
DEMO_SOLUTIONS = [
    (
        "ため池・河川の水位見守りサービス",
        "LPWA通信の水位センサーとクラウドで、ため池や小河川の水位を24時間見守ります。",
        "電池で5年動く小型の水位センサーを設置し、10分ごとの水位をクラウドに集めます。しきい値を超えると担当職員へメールとLINEで知らせ、地図上で各地点の状況を確認できます。",
        ["safety", "infrastructure"],
        ["sensor", "lpwa", "iot", "cloud"],
        "in_service",
        "府内外の8自治体で計120か所に設置",
    ),
    (
        "高齢者見守りのための生活リズム分析",
        "電力使用量の変化から一人暮らし高齢者の生活リズムを推定し、異変を早く知らせます。",
        "スマートメーターの電力データをAIで分析し、起床・就寝や家電の使い方がいつもと違う日を見つけます。カメラを使わないため、本人の抵抗感が少ないのが特長です。",
        ["health"],
        ["ai", "big-data", "iot"],
        "poc_ready",
        "2市で実証実験を実施",
    ),
    (
        "AI-powered multilingual chatbot for city halls",
        "Answers residents' questions in Japanese, English, Chinese and Korean around the clock.",
        "Built on each city's FAQ and web pages, the chatbot hands over to staff when it cannot answer and learns from the conversations it could not handle.",
        ["government"],
        ["nlp", "ai", "cloud"],
        "in_service",
        "Used by 5 municipalities in Japan",
    ),
]


@transaction.atomic
def demo_solutions_create() -> int:
    """Publish a few solution profiles of the demo company through the services (idempotent).

    Going through solution_create and solution_set_published records them as a member would,
    so they reach the search index and matching like any other profile.
    """
    company = Organisation.objects.filter(name=COMPANY["name"]).first()
    member = company and company.memberships.select_related("user").first()
    if company is None or member is None:
        return 0
    created = 0
    for title, summary, description, fields, technologies, stage, record in DEMO_SOLUTIONS:
        if SolutionProfile.objects.filter(organisation=company, title=title).exists():
            continue
        solution = solution_create(
            actor=member.user,
            organisation=company,
            title=title,
            summary=summary,
            description=description,
            stage=stage,
            track_record=record,
            language="en" if title.isascii() else "ja",
            fields=list(Field.objects.filter(slug__in=fields)),
            technologies=list(Technology.objects.filter(slug__in=technologies)),
        )
        solution_set_published(actor=member.user, solution=solution, published=True)
        created += 1
    return created
