"""English versions of the demonstration's home page, about page and a few challenges."""

from cms.models import ChallengePage, EventIndexPage, HomePage, StandardPage

HOME = {
    "title_en": "Osaka Smart City Partners Forum",
    "hero_title_en": "Connecting local challenges with the people who can solve them.",
    "hero_text_en": (
        "The 43 municipalities of Osaka Prefecture publish their local challenges, and companies, "
        "universities and start-ups propose solutions. From proof of concept to implementation "
        "and roll-out to other towns, the forum makes every project's progress visible."
    ),
}

ABOUT = {
    "title_en": "About the forum",
    "intro_en": (
        "The Osaka Smart City Partners Forum brings together the 43 municipalities of Osaka "
        "Prefecture with companies, universities and other organisations to solve local "
        "challenges together."
    ),
    "body_en": [
        ("heading", {"text": "How to take part", "level": "h2"}),
        (
            "paragraph",
            "<p>Companies, universities and organisations sign up and apply to register their "
            "organisation. Once the secretariat approves it, they can publish solutions and "
            "propose them for challenges.</p>",
        ),
        (
            "callout",
            {
                "title": "For municipalities",
                "text": "<p>Challenges are written in each municipality's own section and "
                "published after the secretariat has reviewed them.</p>",
            },
        ),
    ],
}

EVENTS = {"title_en": "Events", "intro_en": "Seminars and meet-ups of the forum."}

# Japanese title of a demonstration challenge: its English title, summary, background, wanted.
CHALLENGES = {
    "一人暮らし高齢者の見守りを、本人の負担なく続けたい": (
        "Looking after older people who live alone, without burdening them",
        "Welfare volunteers' visits alone cannot catch every change in the health of older "
        "people living alone; we are looking for a way to notice such changes early.",
        "The number of one-person households aged 65 and over in the city has grown 1.4-fold in "
        "ten years, and so has each volunteer's caseload. When visits are far apart, a sudden "
        "change in someone's health can be noticed late.",
        "We are looking for proposals that show changes in daily routines without cameras or any "
        "action by the person, and that include how families and the community support centre "
        "are alerted when something is wrong.",
    ),
    "観光客と市民が使いやすい、交通機関をまたぐ経路案内と決済": (
        "Route guidance and payment across transport modes for visitors and residents",
        "We want rail, bus and bike sharing to be searched, booked and paid for in one app, "
        "making travel easier.",
        "Visitor numbers remain high after major events, and many say that changing lines and "
        "different ways of paying are hard to understand.",
        "We envisage implementing a multilingual service, connected to the transport operators' "
        "existing data, that covers everything from route guidance to payment.",
    ),
    "大雨の後の河川と斜面の状況を、職員が近づかずに確認したい": (
        "Checking rivers and slopes after heavy rain without sending staff close",
        "We want to test ways of assessing damage right after typhoons and heavy rain without "
        "staff having to go to dangerous places.",
        "The south of the city has many landslide warning areas, and checking for damage can "
        "take more than half a day. Checking at night or in bad weather is also dangerous.",
        "We are looking for a proof of concept that marks possible collapses or fallen trees "
        "automatically from drone footage and shares them on a map.",
    ),
}


def _publish_english(page, values: dict) -> bool:
    if page is None or page.title_en:
        return False
    for name, value in values.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return True


def demo_english_load() -> int:
    """Give the demonstration pages their English versions once; returns how many it added."""
    added = _publish_english(HomePage.objects.first(), HOME)
    added += _publish_english(StandardPage.objects.filter(slug="about").first(), ABOUT)
    added += _publish_english(EventIndexPage.objects.first(), EVENTS)
    for title, (title_en, summary, background, wanted) in CHALLENGES.items():
        page = ChallengePage.objects.filter(title=title).first()
        municipality = page.municipality if page is not None else None
        added += _publish_english(
            page,
            {
                "title_en": title_en,
                "summary_en": summary,
                "background_en": background,
                "wanted_en": wanted,
                "contact_en": f"Smart city team, {municipality.name_en}" if municipality else "",
            },
        )
    return added
