"""gunicorn settings of the site: ``gunicorn -c config/gunicorn.py config.wsgi:application``.

The application is loaded once in the master (preload_app) and the search snapshot and the
site's matcher are built there before the workers are forked: a fresh worker answers its first
search or suggestion page without building them (which takes minutes at 10,000 solutions the
first time). The search snapshot is shared with the workers until they write to it; the
matcher is a version of the machine's shared snapshot (matching/backends/shared/), mapped
from files by every worker, so its memory does not grow with the number of workers, and a
restarted server takes over the stored term counts instead of analysing every text again.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
preload_app = True


def templates_compile() -> int:
    """Compile the project's own templates into the template engine's cache; returns how many.

    A worker forked afterwards renders its first page without reading and parsing them (a few
    hundred milliseconds for a page and its includes). A template that does not compile is left
    for its page to report.
    """
    from pathlib import Path

    from django.conf import settings
    from django.template import TemplateSyntaxError, engines

    base = Path(settings.BASE_DIR)
    compiled = 0
    for engine in engines.all():
        for directory in map(Path, engine.template_dirs):
            if not directory.is_relative_to(base) or ".venv" in directory.parts:
                continue
            for path in sorted(directory.rglob("*.html")):
                try:
                    engine.get_template(str(path.relative_to(directory)))
                except TemplateSyntaxError:
                    continue
                compiled += 1
    return compiled


def when_ready(server) -> None:
    """Before the workers start: build what the first requests would otherwise build."""
    from matching.backends.embedded import site_matcher_warm
    from search.analysis import words

    if site_matcher_warm():
        server.log.info("Search snapshot and matcher built before the workers started.")
    words("準備")  # the tagger and the glossary's dictionary, inherited by every worker
    server.log.info("%d templates compiled before the workers started.", templates_compile())
    # Everything built so far lives as long as the workers: kept out of the collector's rounds,
    # so a worker's garbage collection neither walks the snapshot nor copies its pages.
    gc.freeze()
