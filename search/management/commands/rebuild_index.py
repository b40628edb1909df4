from django.core.management.base import BaseCommand

from search.services import index_rebuild, vectors_fill, vectors_missing
from search.vectors import vectors_enabled


class Command(BaseCommand):
    help = (
        "データベースから検索索引を作り直し、まとめて入れ替えます。"
        "保存済みの文ベクトルは再利用し、足りない分はその場で計算します。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--vectors-later",
            action="store_true",
            help="足りない文ベクトルをバックグラウンドのタスクに任せます（大量の文書を入れ替えるとき）",
        )

    def _bar(self, label: str, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        self.stdout.write(
            f"\r{label:10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
        )
        if done == total:
            self.stdout.write("")

    def handle(self, *args, vectors_later=False, **options):
        def progress(doc_type: str, done: int, total: int) -> None:
            if done == total or done % 200 == 0:
                self._bar(doc_type, done, total)

        counts = index_rebuild(progress=progress, vectors_later=vectors_later)
        for doc_type, count in counts.items():
            self.stdout.write(self.style.SUCCESS(f"{doc_type}: {count} documents indexed"))
        missing = vectors_missing()
        if not missing:
            return
        if vectors_later or not vectors_enabled():
            self.stdout.write(f"{missing} documents wait for their sentence vector (background).")
            return
        done = 0
        while done < missing:
            step = vectors_fill(limit=50)
            if not step:
                break
            done += step
            self._bar("vectors", min(done, missing), missing)
        left = vectors_missing()
        if left:
            self.stdout.write(
                self.style.WARNING(
                    f"{left} documents have no sentence vector yet (model unavailable)."
                )
            )
