"""Panels that other apps add to forum pages, so that forum never imports them.

A page (the member dashboard, a solution's page) asks for its panels; an app that wants to show
something there registers a panel once, in its AppConfig.ready(). A panel whose reader fails is
left out of the page and logged: an optional box never breaks the page around it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

PAGES = ("member_home", "solution")


@dataclass(frozen=True)
class Panel:
    """A template and the reader of its context (None: nothing to show)."""

    name: str
    template: str
    context: Callable[..., dict | None]
    order: int = 100


@dataclass
class RenderedPanel:
    name: str
    template: str
    context: dict


_registry: dict[str, dict[str, Panel]] = {page: {} for page in PAGES}


def panel_register(page: str, panel: Panel) -> None:
    """Add (or replace, by name) a panel of a page."""
    if page not in _registry:
        raise ValueError(f"unknown page {page!r}; pages are {PAGES}")
    _registry[page][panel.name] = panel


def panels_for(page: str, request, **objects) -> list[RenderedPanel]:
    """The panels of a page with their contexts, in order; failing or empty ones left out."""
    rendered = []
    for panel in sorted(_registry[page].values(), key=lambda p: (p.order, p.name)):
        try:
            context = panel.context(request, **objects)
        except Exception:
            logger.exception(
                "The %s panel of %s failed; the page is shown without it.", panel.name, page
            )
            continue
        if context is not None:
            rendered.append(RenderedPanel(panel.name, panel.template, context))
    return rendered
