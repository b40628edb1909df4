"""Which part of matching earns its place: nDCG@5 per direction with parts taken away.

Usage: python benchmarks/matching_quality.py PATH [PATH ...]

For each labelled set, prints one JSON line per variant:
- full: the production matcher (what evaluate_matching reports);
- no_centring: sentence vectors compared as the model gives them (no language centroids);
- no_vectors: the bilingual glossary, BM25 and the structured clauses, without vectors;
- no_glossary: the production matcher with synonym expansion off (vectors still on);
- bm25_text_only: the plain baseline (no glossary, no vectors, no structured clauses).
Uses a throw-away SQLite database for the vector cache; the site's data is never touched.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    paths = sys.argv[1:]
    if not paths:
        raise SystemExit(__doc__)
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="forum-quality-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from matching.backends.embedded import Matcher
    from matching.evaluation import attach_vectors, load_labelled, score_rankings

    def run(profiles, relevance, *, text_only=False, **options):
        matcher = Matcher(profiles, **options)
        return score_rankings(
            lambda p: [s.doc_id for s in matcher.suggest(p, limit=10, text_only=text_only)],
            profiles,
            relevance,
        )

    for path in paths:
        profiles, relevance = load_labelled(path)
        attach_vectors(profiles)
        bare, _ = load_labelled(path)
        variants = {
            "full": run(profiles, relevance),
            "no_centring": run(profiles, relevance, centroids={}),
            "no_vectors": run(bare, relevance),
            "no_glossary": run(profiles, relevance, synonyms=False),
            "bm25_text_only": run(bare, relevance, text_only=True, synonyms=False),
        }
        for name, scores in variants.items():
            print(
                json.dumps(
                    {
                        "set": Path(path).name,
                        "variant": name,
                        **{d: scores[d]["ndcg@5"] for d in scores},
                    },
                    ensure_ascii=False,
                )
            )


if __name__ == "__main__":
    main()
