from django.core.management.base import BaseCommand

from forum.services.reference import reference_data_load


class Command(BaseCommand):
    help = "分野・市町村・技術の参照データを登録または更新します（何度実行しても安全です）。"

    def handle(self, *args, **options):
        results = reference_data_load()
        for name, result in results.items():
            self.stdout.write(f"{name}: created {result.created}, kept {result.updated}")
