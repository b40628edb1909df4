"""The health endpoint for load balancers and the compose stack: /health/.

Each component (database, cache, broker, search) is probed by a django-health-check check,
time-boxed and run side by side, and reported on its own with a short detail and the time it
took. The site can serve while its database answers, so only the database decides the status:
200, or 503 when it is down. ``?strict=1`` answers 503 when any component fails, for a
readiness probe that wants everything.

The answer comes from a middleware at the top of the stack: a probe calls by address (no
host name to validate), over plain HTTP inside the network, without a session, and must
not meet the staff's second-factor screen, a language choice or a cache.
"""

import asyncio
import dataclasses
import datetime

from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse

from asgiref.sync import async_to_sync
from health_check import checks
from health_check.base import HealthCheck, HealthCheckResult
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from config.celery import app
from search.backends import get_backend

HEALTH_PATH = "/health/"
QUICK = datetime.timedelta(seconds=3)


@dataclasses.dataclass
class Database(checks.Database):
    """``SELECT 1`` on a connection of its own (the library's check), named by vendor."""

    timeout = QUICK

    def run(self):
        super().run()
        self.detail = connections[self.alias].vendor


@dataclasses.dataclass
class Cache(HealthCheck):
    """Redis answers a ping; an in-process cache is always there.

    The cache turns Redis errors into misses (IGNORE_EXCEPTIONS), so the probe asks the
    client underneath it.
    """

    alias: str = "default"
    timeout = QUICK

    def run(self):
        cache = caches[self.alias]
        if not hasattr(cache, "client") or not hasattr(cache.client, "get_client"):
            self.detail = "in process"
            return
        try:
            cache.client.get_client(write=True).ping()
        except Exception as exc:  # any client error means the cache is not usable
            raise ServiceUnavailable(f"redis unreachable ({type(exc).__name__})") from exc
        self.detail = "redis"


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection; eager mode has no broker to reach."""

    timeout = QUICK

    def run(self):
        if app.conf.task_always_eager:
            self.detail = "in process (eager)"
            return
        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
                self.detail = connection.transport_cls
        except Exception as exc:  # kombu wraps every transport failure differently
            raise ServiceUnavailable(f"broker unreachable ({type(exc).__name__})") from exc


@dataclasses.dataclass
class Search(HealthCheck):
    """The configured search backend answers (search.backends' factory and its health())."""

    timeout = QUICK

    def run(self):
        try:
            self.detail = get_backend().health()
        except Exception as exc:  # a cluster or database error alike: search is unavailable
            raise ServiceUnavailable(f"search unavailable ({type(exc).__name__})") from exc
        finally:
            # The probe ran in a worker thread: its database connection must not outlive it.
            connections.close_all()


COMPONENTS = {"database": Database, "cache": Cache, "broker": Broker, "search": Search}


def _component(result: HealthCheckResult) -> dict:
    if result.error is None:
        status, detail = "ok", getattr(result.check, "detail", "")
    else:
        status, detail = "error", result.error.message
    return {"status": status, "detail": detail, "latency_ms": round(result.time_taken * 1000, 1)}


def _overall(failing: set[str]) -> str:
    """down: the site cannot serve; degraded: it serves without something; ok: all is well."""
    if "database" in failing:
        return "down"
    return "degraded" if failing else "ok"


class HealthView(HealthCheckView):
    """Every component's state as JSON; 503 when the database (or, strictly, anything) fails."""

    checks = tuple(COMPONENTS.values())

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        components = {name: _component(r) for name, r in zip(COMPONENTS, results, strict=True)}
        failing = {name for name, state in components.items() if state["status"] != "ok"}
        overall = _overall(failing)
        strict = request.GET.get("strict") in {"1", "true", "yes"}
        unhealthy = overall == "down" or (strict and failing)
        return JsonResponse(
            {"status": overall, "components": components}, status=503 if unhealthy else 200
        )


health_view = HealthView.as_view()


class HealthMiddleware:
    """Answers HEALTH_PATH before any other middleware sees the request (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return async_to_sync(health_view)(request)
        return self.get_response(request)
