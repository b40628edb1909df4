"""What a resident (住民) may reach of the member area, and the limits on what they send."""

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
