"""The forum's history since it was founded (FY2020), as the source documents tell it: the data.

In March 2022 the strategy meeting heard: 7 fields, projects in 16 municipalities, 27
projects in progress, and of 48 smart-city projects about half, 23, reached social
implementation; the prefecture rolled out Osaka City's LINE road-damage report to its own
roads. The demo gives every chart and the annual report something true to show:

- 42 projects here plus the 5 recent ones of ``projects`` and one roll-out = 48 projects;
- 22 of them reach implementation here (4 in FY2021, 6 in FY2022, 6 in FY2023, 4 in FY2024,
  2 in FY2025) and one recent one does = 23;
- 27 projects are in progress in FY2022 (32 started by 31 March 2023, 5 of them implemented
  or stopped before 1 April 2022);
- projects in 16 municipalities and the prefecture, in all 7 fields;
- departments of 大阪市 and 大阪府 own their projects, with a responsible post;
- 大阪市 建設局's LINE road-damage report is rolled out to 大阪府 都市整備部 (FY2023);
- dates sit on the fiscal-year boundaries (31 March / 1 April) on purpose, and one project
  goes back from evaluation to a second PoC.

cms.demo.history creates the records from it.
"""

from dataclasses import dataclass

OSAKA_CITY, PREFECTURE = "271004", "270008"

# (organisation's municipality code, slug, name, English name, responsible post)
DEPARTMENTS = [
    (
        OSAKA_CITY,
        "osaka-city-digital",
        "デジタル統括室",
        "Digital Transformation Bureau",
        "デジタル統括室 スマートシティ担当課長",
    ),
    (OSAKA_CITY, "osaka-city-construction", "建設局", "Construction Bureau", "建設局 道路課長"),
    (OSAKA_CITY, "osaka-city-health", "健康局", "Public Health Bureau", "健康局 健康施策課長"),
    (
        OSAKA_CITY,
        "osaka-city-children",
        "こども青少年局",
        "Children and Youth Bureau",
        "こども青少年局 企画課長",
    ),
    (
        PREFECTURE,
        "osaka-pref-smartcity",
        "スマートシティ戦略部",
        "Smart City Strategy Department",
        "スマートシティ戦略部 戦略推進課長",
    ),
    (
        PREFECTURE,
        "osaka-pref-urban",
        "都市整備部",
        "Urban Development Department",
        "都市整備部 道路環境課長",
    ),
    (
        PREFECTURE,
        "osaka-pref-health",
        "健康医療部",
        "Health and Medical Care Department",
        "健康医療部 健康推進課長",
    ),
]

STAGES = {
    "pp": "poc_planning",
    "poc": "poc",
    "ev": "evaluation",
    "im": "implementation",
    "ro": "rollout",
    "dc": "discontinued",
}
LESSONS = {
    "implementation": "実証で効果を確かめ、翌年度の予算で本格導入した。運用は担当課が引き継いだ。",
    "poc": "効果はあったが対象地区が限られたため、範囲を広げてもう一度実証する。",
    "discontinued": "費用に見合う効果が見込めず、実証で終えた。得たデータは次の検討に生かす。",
}
# The reason recorded with a stop (the stage change's note): the decision itself, not the
# lessons again, which the outcome already carries.
STOP_NOTE = "評価の結論を受け、市と参加団体で協議して中止を決めた。"

ROAD_APP = "LINEで道路の損傷を通報できるアプリ"


@dataclass(frozen=True)
class Story:
    """One project of the history: its field, municipality, owner and dated path.

    ``path`` reads "start stage:date …" with the stage codes of STAGES, e.g.
    "2020-09-15 pp:2020-10-20 poc:2020-12-01".
    """

    title: str
    field: str
    place: str
    path: str
    department: str = ""
    reports: bool = True


HISTORY = [
    # FY2020 (the forum was founded in August 2020): 10 projects
    Story(
        ROAD_APP,
        "infrastructure",
        OSAKA_CITY,
        "2020-09-15 pp:2020-10-20 poc:2020-12-01 ev:2021-06-01 im:2021-10-01",
        "osaka-city-construction",
    ),
    Story(
        "AIによる保育所入所選考の自動化",
        "childcare",
        "272116",
        "2020-10-01 pp:2020-11-01 poc:2021-01-15 ev:2021-07-01 im:2021-12-01",
    ),
    Story(
        "健康ポイントアプリによる運動習慣づくり",
        "health",
        "272035",
        "2020-10-15 pp:2020-12-01 poc:2021-02-01 ev:2021-08-01 im:2022-01-15",
    ),
    Story(
        "公共施設の電力見える化と省エネ制御",
        "infrastructure",
        "272205",
        "2020-11-01 pp:2020-12-15 poc:2021-03-01 ev:2021-09-01 im:2022-03-31",
    ),
    Story(
        "観光地の混雑予測の配信",
        "industry",
        "272272",
        "2020-11-15 pp:2021-01-10 poc:2021-03-15 dc:2022-02-15",
    ),
    Story(
        "行政手続きのオンライン申請とキャッシュレス決済",
        "government",
        OSAKA_CITY,
        "2020-12-01 pp:2021-01-15 poc:2021-05-01 ev:2022-01-10 im:2022-06-01 ro:2023-09-01",
        "osaka-city-digital",
    ),
    Story(
        "河川水位センサーによる浸水警戒",
        "safety",
        "272248",
        "2021-01-10 pp:2021-03-01 poc:2021-06-01 ev:2022-02-01 im:2022-07-01",
    ),
    Story(
        "通学路のヒヤリハット地図",
        "safety",
        "272159",
        "2021-02-01 pp:2021-04-01 poc:2021-07-01 ev:2022-03-01 im:2022-09-01",
    ),
    Story(
        "市民ポータルのデータ連携基盤",
        "government",
        OSAKA_CITY,
        "2021-03-01 pp:2021-05-01 poc:2021-09-01 ev:2022-06-01 poc:2022-09-01 ev:2024-02-01",
        "osaka-city-digital",
    ),
    Story(
        "下水道管のAI画像診断",
        "infrastructure",
        "272078",
        "2021-03-31 pp:2021-06-01 poc:2021-10-01",
        reports=False,
    ),
    # FY2021: 14 projects
    Story(
        "オンライン診療と服薬指導の実証",
        "health",
        "272035",
        "2021-04-01 pp:2021-05-15 poc:2021-08-01 ev:2022-02-01 im:2022-08-01 ro:2024-06-01",
    ),
    Story(
        "高齢者の通いの場のデジタル予約",
        "health",
        OSAKA_CITY,
        "2021-05-01 pp:2021-06-15 poc:2021-09-01 ev:2022-05-01 im:2022-11-01",
        "osaka-city-health",
    ),
    Story(
        "AI-OCRによる申請書の入力自動化",
        "government",
        "272108",
        "2021-05-15 pp:2021-07-01 poc:2021-10-01 ev:2022-06-01 im:2023-01-15",
    ),
    Story(
        "乗合オンデマンド交通の実証",
        "mobility",
        "273660",
        "2021-06-01 pp:2021-07-15 poc:2021-11-01 ev:2022-09-01 im:2023-04-01 ro:2025-07-01",
    ),
    Story(
        "府域データ連携基盤（ORDEN）の市町村利用",
        "government",
        PREFECTURE,
        "2021-06-15 pp:2021-08-01 poc:2021-12-01 ev:2022-10-01 im:2023-06-01",
        "osaka-pref-smartcity",
    ),
    Story(
        "商店街の人流データ分析",
        "industry",
        "272272",
        "2021-07-01 pp:2021-09-01 poc:2022-01-01 ev:2022-11-01 im:2023-08-01",
    ),
    Story(
        "ドローンによる山間部への物資輸送",
        "safety",
        "271403",
        "2021-08-01 pp:2021-10-01 poc:2022-02-01 ev:2022-12-01 dc:2023-05-01",
    ),
    Story(
        "電動キックボードのシェアリング",
        "mobility",
        "272141",
        "2021-09-01 pp:2021-11-01 poc:2022-04-01 dc:2023-07-01",
    ),
    Story(
        "保護者連絡のデジタル化",
        "childcare",
        "272124",
        "2021-09-15 pp:2021-11-15 poc:2022-05-01 ev:2023-03-01",
    ),
    Story(
        "府のスマートシティ人材育成プログラム",
        "government",
        PREFECTURE,
        "2021-10-01 pp:2021-12-01 poc:2022-06-01",
        "osaka-pref-smartcity",
        reports=False,
    ),
    Story(
        "坂道の多い住宅地の買い物支援モビリティ",
        "mobility",
        "272141",
        "2021-11-01 pp:2022-01-15 poc:2022-07-01 ev:2023-06-01",
    ),
    Story(
        "見守りセンサーと地域包括支援の連携",
        "health",
        "272051",
        "2021-12-01 pp:2022-02-01 poc:2022-08-01",
        reports=False,
    ),
    Story("ごみ収集ルートの最適化", "infrastructure", "272256", "2022-01-15 pp:2022-03-01"),
    Story(
        "中小製造業のマッチングプラットフォーム",
        "industry",
        "272221",
        "2022-03-31 pp:2022-06-01 poc:2022-10-01",
    ),
    # FY2022: 8 projects
    Story(
        "子ども食堂と見守りのデータ連携",
        "childcare",
        OSAKA_CITY,
        "2022-04-01 pp:2022-05-15 poc:2022-08-01 ev:2023-02-01 im:2023-07-01",
        "osaka-city-children",
    ),
    Story(
        "健診受診勧奨のナッジ通知",
        "health",
        "272221",
        "2022-05-01 pp:2022-06-15 poc:2022-09-01 ev:2023-04-15 im:2023-10-01",
    ),
    Story(
        "災害時SNS情報の自動分析",
        "safety",
        "271403",
        "2022-06-01 pp:2022-07-15 poc:2022-10-01 ev:2023-05-01 im:2024-01-15",
    ),
    Story(
        "バス停までのバリアフリー経路案内",
        "mobility",
        "272051",
        "2022-07-01 pp:2022-08-15 poc:2022-12-01 ev:2023-09-01 im:2024-05-01",
    ),
    Story(
        "AIによる窓口の多言語翻訳",
        "government",
        "272124",
        "2022-08-01 pp:2022-10-01 poc:2023-01-15 ev:2023-10-01 dc:2024-08-01",
    ),
    Story(
        "橋りょう点検のドローン活用",
        "infrastructure",
        OSAKA_CITY,
        "2022-09-01 pp:2022-11-01 poc:2023-04-01 ev:2024-03-01",
        "osaka-city-construction",
        reports=False,
    ),
    Story(
        "ぶどう畑を巡るデジタルスタンプラリー",
        "industry",
        "272078",
        "2022-10-01 pp:2022-12-01 poc:2023-05-01",
    ),
    Story(
        "避難所の混雑状況の見える化", "safety", "272159", "2023-03-31 pp:2023-06-01", reports=False
    ),
    # FY2023: 4 projects (and the roll-out of the road-damage app to the prefecture)
    Story(
        "ICT端末を活用した不登校の早期支援",
        "childcare",
        "272116",
        "2023-04-01 pp:2023-05-15 poc:2023-08-01 ev:2024-02-01 im:2024-06-01",
    ),
    Story(
        "府民の健康データを活用した疾病予防",
        "health",
        PREFECTURE,
        "2023-05-01 pp:2023-06-15 poc:2023-09-01 ev:2024-03-01 im:2024-09-01",
        "osaka-pref-health",
    ),
    Story(
        "道路照明のスマート化",
        "infrastructure",
        PREFECTURE,
        "2023-08-01 pp:2023-10-01 poc:2024-02-01",
        "osaka-pref-urban",
    ),
    Story(
        "書かない窓口",
        "government",
        "272205",
        "2023-11-01 pp:2024-01-15 poc:2024-05-01 ev:2025-03-01",
    ),
    # FY2024: 3 projects
    Story(
        "保育施設の午睡チェックセンサー",
        "childcare",
        "272124",
        "2024-04-01 pp:2024-05-15 poc:2024-08-01 ev:2025-01-15 im:2025-06-01",
    ),
    Story(
        "公共交通の運行データのオープン化",
        "mobility",
        "273660",
        "2024-06-01 pp:2024-07-15 poc:2024-10-01 ev:2025-03-01 im:2025-09-01",
    ),
    Story(
        "水道メーターのスマート化",
        "infrastructure",
        "272248",
        "2024-09-01 pp:2024-11-01 poc:2025-03-01",
    ),
    # FY2025: 2 projects
    Story(
        "大阪・関西万博のレガシーを生かした移動サービス",
        "mobility",
        OSAKA_CITY,
        "2025-05-01 pp:2025-07-01",
        "osaka-city-digital",
    ),
    Story("地域通貨による商店街の活性化", "industry", "272035", "2025-10-01"),
    # FY2026: 1 project
    Story(
        "図書館の蔵書と学習スペースの予約連携", "government", "272108", "2026-05-01 pp:2026-07-01"
    ),
]

# The road-damage app's roll-out to the prefecture: when it starts, and its own path.
ROLLOUT_START = "2023-05-15"
ROLLOUT_PATH = "pp:2023-07-01 poc:2023-10-01 ev:2024-06-01 im:2024-10-01"
ROLLOUT_DEPARTMENT = "osaka-pref-urban"
