from django.core.management.base import BaseCommand, CommandError

from matching.backends import get_alert_matcher
from matching.services import alert_index_rebuild
from search.backends.percolator import PercolatorUnavailable


class Command(BaseCommand):
    help = (
        "保存された関心の通知条件を、Elasticsearchのパーコレーター索引に作り直して入れ替えます"
        "（同義語リストや解析の設定を変えたあとに実行します）。"
    )

    def handle(self, *args, **options):
        if not get_alert_matcher().stores_rules:
            self.stdout.write(
                "The embedded backend evaluates alert rules in process: nothing to rebuild."
            )
            return
        try:
            count = alert_index_rebuild()
        except PercolatorUnavailable as exc:
            raise CommandError(f"Elasticsearch is unavailable: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(f"{count} alert rules stored in a fresh percolator index")
        )
