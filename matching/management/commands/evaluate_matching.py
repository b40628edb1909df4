import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from matching.evaluation import evaluate


class Command(BaseCommand):
    help = "ラベル付きデータでマッチングの精度（nDCG@5・P@3・MRR）を双方向に測ります。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="matching-dev.json と同じ形式のファイル")
        parser.add_argument(
            "--backend", choices=["local"], default="local", help="local: 組み込みの検索エンジン"
        )
        parser.add_argument("--json", action="store_true", help="結果をJSONで出力します")

    def handle(self, path, backend, **options):
        as_json = options["json"]
        try:
            scores = evaluate(path)
            baseline = evaluate(path, text_only=True)
        except FileNotFoundError as exc:
            raise CommandError(f"ファイルが見つかりません: {path}") from exc
        except (KeyError, ValueError) as exc:
            raise CommandError(f"ラベル付きデータの形式が正しくありません: {exc}") from exc
        report = {"backend": backend, **scores, "baseline_text_only_bm25": baseline}
        if as_json:
            self.stdout.write(_dumps(report))
            return
        for direction in ("challenge_to_solutions", "solution_to_challenges"):
            ours, base = scores[direction], baseline[direction]
            self.stdout.write(
                f"{direction}: ndcg@5 {ours['ndcg@5']:.3f} (bm25 {base['ndcg@5']:.3f})  "
                f"p@3 {ours['p@3']:.3f} (bm25 {base['p@3']:.3f})  mrr {ours['mrr']:.3f} (bm25 {base['mrr']:.3f})"
            )


def _dumps(value) -> str:
    return jsonlib.dumps(value, ensure_ascii=False, indent=2)
