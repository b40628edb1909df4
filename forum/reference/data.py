"""The forum's reference vocabulary, written once and loaded idempotently.

Local government codes are the national six-digit codes (five digits and a check digit);
``local_government_check_digit`` recomputes the last digit so a typo cannot slip in.
"""

FIELDS = [
    # slug, Japanese, English, order
    ("health", "健康・医療・介護", "Health, medical and nursing care", 10),
    ("childcare", "子育て・教育", "Childcare and education", 20),
    ("safety", "防災・防犯", "Disaster prevention and safety", 30),
    ("mobility", "移動・交通", "Mobility and transport", 40),
    ("government", "行政サービス", "Government services", 50),
    ("infrastructure", "インフラ・環境・エネルギー", "Infrastructure, environment and energy", 60),
    ("industry", "産業・観光・にぎわい", "Industry, tourism and vibrancy", 70),
]

PREFECTURE = ("270008", "大阪府", "おおさかふ", "Osaka Prefecture", "prefecture")

MUNICIPALITIES = [
    # code, name, kana, English, kind
    ("271004", "大阪市", "おおさかし", "Osaka City", "city"),
    ("271403", "堺市", "さかいし", "Sakai City", "city"),
    ("272027", "岸和田市", "きしわだし", "Kishiwada City", "city"),
    ("272035", "豊中市", "とよなかし", "Toyonaka City", "city"),
    ("272043", "池田市", "いけだし", "Ikeda City", "city"),
    ("272051", "吹田市", "すいたし", "Suita City", "city"),
    ("272060", "泉大津市", "いずみおおつし", "Izumiotsu City", "city"),
    ("272078", "高槻市", "たかつきし", "Takatsuki City", "city"),
    ("272086", "貝塚市", "かいづかし", "Kaizuka City", "city"),
    ("272094", "守口市", "もりぐちし", "Moriguchi City", "city"),
    ("272108", "枚方市", "ひらかたし", "Hirakata City", "city"),
    ("272116", "茨木市", "いばらきし", "Ibaraki City", "city"),
    ("272124", "八尾市", "やおし", "Yao City", "city"),
    ("272132", "泉佐野市", "いずみさのし", "Izumisano City", "city"),
    ("272141", "富田林市", "とんだばやしし", "Tondabayashi City", "city"),
    ("272159", "寝屋川市", "ねやがわし", "Neyagawa City", "city"),
    ("272167", "河内長野市", "かわちながのし", "Kawachinagano City", "city"),
    ("272175", "松原市", "まつばらし", "Matsubara City", "city"),
    ("272183", "大東市", "だいとうし", "Daito City", "city"),
    ("272191", "和泉市", "いずみし", "Izumi City", "city"),
    ("272205", "箕面市", "みのおし", "Minoh City", "city"),
    ("272213", "柏原市", "かしわらし", "Kashiwara City", "city"),
    ("272221", "羽曳野市", "はびきのし", "Habikino City", "city"),
    ("272230", "門真市", "かどまし", "Kadoma City", "city"),
    ("272248", "摂津市", "せっつし", "Settsu City", "city"),
    ("272256", "高石市", "たかいしし", "Takaishi City", "city"),
    ("272264", "藤井寺市", "ふじいでらし", "Fujiidera City", "city"),
    ("272272", "東大阪市", "ひがしおおさかし", "Higashiosaka City", "city"),
    ("272281", "泉南市", "せんなんし", "Sennan City", "city"),
    ("272299", "四條畷市", "しじょうなわてし", "Shijonawate City", "city"),
    ("272302", "交野市", "かたのし", "Katano City", "city"),
    ("272311", "大阪狭山市", "おおさかさやまし", "Osakasayama City", "city"),
    ("272329", "阪南市", "はんなんし", "Hannan City", "city"),
    ("273015", "島本町", "しまもとちょう", "Shimamoto Town", "town"),
    ("273210", "豊能町", "とよのちょう", "Toyono Town", "town"),
    ("273228", "能勢町", "のせちょう", "Nose Town", "town"),
    ("273414", "忠岡町", "ただおかちょう", "Tadaoka Town", "town"),
    ("273619", "熊取町", "くまとりちょう", "Kumatori Town", "town"),
    ("273627", "田尻町", "たじりちょう", "Tajiri Town", "town"),
    ("273660", "岬町", "みさきちょう", "Misaki Town", "town"),
    ("273813", "太子町", "たいしちょう", "Taishi Town", "town"),
    ("273821", "河南町", "かなんちょう", "Kanan Town", "town"),
    ("273830", "千早赤阪村", "ちはやあかさかむら", "Chihayaakasaka Village", "village"),
]

TECHNOLOGIES = [
    # slug, Japanese, English
    ("iot", "IoT", "IoT"),
    ("ai", "AI", "AI"),
    ("big-data", "ビッグデータ", "Big data"),
    ("robotics", "ロボット", "Robotics"),
    ("drone", "ドローン", "Drones"),
    ("sensor", "センサー", "Sensors"),
    ("5g", "5G", "5G"),
    ("cloud", "クラウド", "Cloud"),
    ("security", "セキュリティ", "Security"),
    ("open-data", "オープンデータ", "Open data"),
    ("maas", "MaaS", "MaaS"),
    ("autonomous-driving", "自動運転", "Autonomous driving"),
    ("digital-twin", "デジタルツイン", "Digital twin"),
    ("gis", "位置情報・GIS", "Location data and GIS"),
    ("image-recognition", "画像認識", "Image recognition"),
    ("nlp", "自然言語処理・チャットボット", "Natural language processing and chatbots"),
    ("mobile-app", "スマートフォンアプリ", "Mobile apps"),
    ("wearable", "ウェアラブル", "Wearables"),
    ("lpwa", "LPWA", "LPWA"),
    ("blockchain", "ブロックチェーン", "Blockchain"),
    ("xr", "AR・VR・メタバース", "AR, VR and metaverse"),
    ("cashless", "キャッシュレス決済", "Cashless payment"),
    ("energy-management", "エネルギーマネジメント", "Energy management"),
    ("telemedicine", "オンライン診療・遠隔医療", "Telemedicine"),
    ("data-platform", "データ連携基盤", "Data integration platform"),
    ("my-number", "マイナンバーカード", "My Number Card"),
    ("rpa", "RPA・業務自動化", "RPA and process automation"),
]


def local_government_check_digit(first_five: str) -> str:
    """Return the check digit of a national local government code."""
    weights = (6, 5, 4, 3, 2)
    total = sum(int(d) * w for d, w in zip(first_five, weights, strict=True))
    return str((11 - total % 11) % 10)


SDGS = [
    # number, Japanese (the government's wording), English (the UN's short titles)
    (1, "貧困をなくそう", "No poverty"),
    (2, "飢餓をゼロに", "Zero hunger"),
    (3, "すべての人に健康と福祉を", "Good health and well-being"),
    (4, "質の高い教育をみんなに", "Quality education"),
    (5, "ジェンダー平等を実現しよう", "Gender equality"),
    (6, "安全な水とトイレを世界中に", "Clean water and sanitation"),
    (7, "エネルギーをみんなに そしてクリーンに", "Affordable and clean energy"),
    (8, "働きがいも経済成長も", "Decent work and economic growth"),
    (9, "産業と技術革新の基盤をつくろう", "Industry, innovation and infrastructure"),
    (10, "人や国の不平等をなくそう", "Reduced inequalities"),
    (11, "住み続けられるまちづくりを", "Sustainable cities and communities"),
    (12, "つくる責任 つかう責任", "Responsible consumption and production"),
    (13, "気候変動に具体的な対策を", "Climate action"),
    (14, "海の豊かさを守ろう", "Life below water"),
    (15, "陸の豊かさも守ろう", "Life on land"),
    (16, "平和と公正をすべての人に", "Peace, justice and strong institutions"),
    (17, "パートナーシップで目標を達成しよう", "Partnerships for the goals"),
]
