"""Rate limits for anonymous clients (per address) and token clients (per person).

They count in Django's default cache: in production CACHE_URL points it at Redis, so every
web process shares the counts. When the cache is unreachable, requests are let through
rather than refused: a rate limit is a protection, not a reason to fail a request.
"""

import logging

from django.conf import settings

from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class ForumRateThrottle(SimpleRateThrottle):
    """Reads its rate from API_THROTTLE_RATES on every request, so settings changes apply."""

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except Exception:  # any cache failure: let the request through
            logger.warning("rate limit cache unavailable; request not counted", exc_info=True)
            return True


class AnonymousRateThrottle(ForumRateThrottle):
    """Requests without a token, counted per client address."""

    scope = "anon"

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenRateThrottle(ForumRateThrottle):
    """Requests with a personal token, counted per person whatever the number of tokens."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
