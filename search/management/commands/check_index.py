from django.core.management.base import BaseCommand, CommandError

from search.services import index_check


class Command(BaseCommand):
    help = "データベースと検索索引を比べ、違い（未登録・余分・古い内容）を報告します。"

    def handle(self, *args, **options):
        result = index_check()
        for label, part in (
            ("missing", result.missing),
            ("extra", result.extra),
            ("stale", result.stale),
        ):
            for doc_type, ids in part.items():
                if ids:
                    shown = ", ".join(str(i) for i in ids[:20]) + (" …" if len(ids) > 20 else "")
                    self.stdout.write(f"{label} {doc_type}: {len(ids)} ({shown})")
        if result.total:
            raise CommandError(f"{result.total} differences between the database and the index.")
        self.stdout.write(self.style.SUCCESS("0 differences: the index matches the database."))
