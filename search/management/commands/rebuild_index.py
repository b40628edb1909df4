from django.core.management.base import BaseCommand

from search.services import index_rebuild


class Command(BaseCommand):
    help = "データベースから検索索引を作り直し、まとめて入れ替えます。"

    def handle(self, *args, **options):
        def progress(doc_type: str, done: int, total: int) -> None:
            if done == total or done % 200 == 0:
                width = 30
                filled = int(width * done / total) if total else width
                self.stdout.write(
                    f"\r{doc_type:10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
                    ending="",
                )
                if done == total:
                    self.stdout.write("")

        counts = index_rebuild(progress=progress)
        for doc_type, count in counts.items():
            self.stdout.write(self.style.SUCCESS(f"{doc_type}: {count} documents indexed"))
