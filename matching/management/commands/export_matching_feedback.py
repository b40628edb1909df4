import json

from django.core.management.base import BaseCommand

from matching.feedback import feedback_dataset


class Command(BaseCommand):
    help = (
        "候補への評価（役に立つ／役に立たない）と採択された提案を、evaluate_matching が読める"
        "ラベル付きデータ（matching-dev.json と同じ形式）として書き出します。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help="書き出すファイル（省略すると標準出力）", default=""
        )

    def handle(self, output, **options):
        data = feedback_dataset()
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if not output:
            self.stdout.write(text)
            return
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        pairs = sum(len(v) for v in data["relevance"].values())
        self.stderr.write(f"{output} に {pairs} 組の評価を書き出しました。")
