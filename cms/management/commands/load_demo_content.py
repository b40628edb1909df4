from django.core.management.base import BaseCommand

from cms.demo.content import demo_content_load


class Command(BaseCommand):
    help = "デモ用のお知らせ・イベント・地域課題を作成します（何度実行しても重複しません）。"

    def handle(self, *args, **options):
        demo_content_load(stdout=self.stdout)
