"""What a resident (住民) may reach of the member area, the limits on what they send, and how
long testers' data is kept."""

from datetime import date, timedelta

# The member area (/member/) is for organisations' people. Of it, residents reach only their
# notices, notice settings and following; its front page sends them to their own page.
RESIDENT_MEMBER_VIEWS = frozenset(
    {
        "forum:notifications",
        "forum:notifications_mark_read",
        "forum:notification_settings",
        "forum:challenge_follow",
        "forum:project_follow",
    }
)

# Photos of needs: what is accepted and what is kept.
PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_KEPT_SIDE = 1600
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "MPO"})


def resident_may_open(view_name: str) -> bool:
    """Whether a resident may open this view of the member area."""
    return view_name in RESIDENT_MEMBER_VIEWS


# Testers' personal data (applications) is kept while the proof of concept may still need it:
# it is deleted TESTER_DATA_KEPT after the call's last day, or as soon as the project is
# over (implemented, rolled out or discontinued), whichever comes first.
TESTER_DATA_KEPT = timedelta(days=30)
PROJECT_STAGES_OVER = frozenset({"implementation", "rollout", "discontinued"})


def tester_data_expired(*, ends_on: date, project_stage: str, today: date) -> bool:
    """Whether a tester call's applications are to be deleted now."""
    return project_stage in PROJECT_STAGES_OVER or today > ends_on + TESTER_DATA_KEPT
