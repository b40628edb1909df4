import time

from django.conf import settings
from django.core.management.base import BaseCommand

from search.services import index_rebuild, index_refresh_changed, vectors_fill, vectors_missing
from search.vectors import vectors_enabled


class Command(BaseCommand):
    help = (
        "データベースから検索索引を作り直し、変わった項目だけを書き換えます。"
        "保存済みの文ベクトルは再利用し、足りない分はその場で計算します（残り時間の見込みを表示）。"
        "--changed を付けると、前回の作り直し以降に変わったものだけを読みます（数秒）。"
    )
    # Reads and writes the index only: the URL and model checks would add seconds to a run
    # that should take a few (``manage.py check`` runs them).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--changed",
            action="store_true",
            help=(
                "前回の作り直し以降に変わったものだけを反映します: 未反映の変更（outbox）、"
                "公開・非公開になったもの、更新日時が前回より後の課題・プロジェクト・団体。"
                "SQLで直接書き換えたものなどは拾えないので、そのときは付けずに実行してください"
                "（索引が一度も作られていなければ全体を作ります）"
            ),
        )
        parser.add_argument(
            "--vectors-later",
            action="store_true",
            help=(
                "足りない文ベクトルをバックグラウンドのワーカーに任せます（大量の文書を入れ替えるとき）。"
                "タスクキューがなければ、この処理の中では計算しません"
            ),
        )

    def _bar(self, label: str, done: int, total: int, started: float | None = None) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        line = f"\r{label:10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if started is not None and 0 < done < total:
            left = (time.monotonic() - started) / done * (total - done)
            line += f"  about {left / 60:.0f} min {left % 60:02.0f} s left"
        self.stdout.write(line, ending="")
        if done == total:
            self.stdout.write("")

    def handle(self, *args, vectors_later=False, changed=False, **options):
        def progress(doc_type: str, done: int, total: int) -> None:
            self._bar(doc_type, done, total)

        # Without a broker, a task "in the background" would run right here, one vector at a time.
        queued = vectors_later and not settings.CELERY_TASK_ALWAYS_EAGER
        written = index_refresh_changed(vectors_later=queued) if changed else None
        if written is not None:
            for doc_type, count in written.items():
                self.stdout.write(self.style.SUCCESS(f"{doc_type}: {count} entries changed"))
        else:
            counts = index_rebuild(progress=progress, vectors_later=queued)
            for doc_type, count in counts.items():
                self.stdout.write(self.style.SUCCESS(f"{doc_type}: {count} documents indexed"))
        missing = vectors_missing()
        if not missing:
            return
        if queued:
            self.stdout.write(f"{missing} documents wait for their sentence vector (background).")
            return
        if vectors_later or not vectors_enabled():
            self.stdout.write(
                f"{missing} documents wait for their sentence vector: no task queue is configured, "
                "so a worker's periodic sweep computes them, or rebuild_index without "
                "--vectors-later computes them here."
            )
            return
        self._fill_vectors(missing)

    def _fill_vectors(self, missing: int) -> None:
        done = 0
        started = time.monotonic()
        while done < missing:
            step = vectors_fill(limit=50)
            if not step:
                break
            done += step
            self._bar("vectors", min(done, missing), missing, started)
        left = vectors_missing()
        if left:
            self.stdout.write(
                self.style.WARNING(
                    f"{left} documents have no sentence vector yet (model unavailable)."
                )
            )
