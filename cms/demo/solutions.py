"""The demo company's published solution profiles: enough kinds of offer that the board, a
challenge's suggestions and the member's page show real choices, one of them in English."""

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
    (
        "ドローンによる災害時の被害確認と物資輸送",
        "大雨や地震の直後に、職員が近づけない河川・斜面をドローンで撮影し、孤立した集落へ医薬品などを運びます。",
        "自動航行のドローンで撮影した映像から、崩落や倒木のおそれがある箇所を画像認識で示し、地図で共有します。平時は橋梁やため池の点検に使い、操縦者の育成も支援します。",
        ["safety", "infrastructure"],
        ["drone", "image-recognition", "gis"],
        "poc_ready",
        "府内2町で災害訓練に参加",
    ),
    (
        "AI-OCRとRPAによる申請書の入力自動化",
        "紙の申請書を読み取り、基幹システムへの入力までを自動化して、入力ミスと残業を減らします。",
        "手書きの申請書をAI-OCRで読み取り、職員が確認した内容をRPAが基幹システムへ入力します。書式ごとの設定は職員が画面で行え、読み取り結果は課ごとに集計できます。",
        ["government"],
        ["ai", "rpa", "cloud"],
        "in_service",
        "府内外の12自治体で導入",
    ),
    (
        "予約制の乗合交通（オンデマンド交通）の運行システム",
        "電話とスマートフォンで予約を受け、乗り合わせの経路を自動で組んで、高齢者の買い物や通院の足を支えます。",
        "予約に合わせて車両と経路を決め、運転手のタブレットに届けます。乗降の記録から、停留所の配置や運行時間帯の見直しに使える資料を作ります。",
        ["mobility"],
        ["maas", "mobile-app", "ai"],
        "in_service",
        "4市町で運行中",
    ),
    (
        "ごみ収集車のカメラで道路の損傷を見つける",
        "ごみ収集車などに付けたカメラの映像から、ひび割れや穴を画像認識で見つけ、補修の優先順位づけを助けます。",
        "走行中の映像と位置情報から損傷の種類と程度を判定し、地図に表示します。同じ場所の変化を追えるので、損傷が進んだ箇所から補修できます。",
        ["infrastructure"],
        ["ai", "image-recognition", "gis"],
        "poc_ready",
        "1市で実証実験を実施",
    ),
    (
        "人流データによる商店街・観光地の回遊分析",
        "携帯電話の位置情報とカメラの人数計測から、来訪者がどこから来てどこを回るかを分析します。",
        "個人を特定しない形で集計した人流データを時間帯・属性ごとに可視化し、イベントや販促の効果を比べられるようにします。観光地では周遊ルートの改善にも使えます。",
        ["industry"],
        ["big-data", "ai", "open-data"],
        "in_service",
        "3つの商店街で利用",
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
