import json as jsonlib
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from elastic_transport import TransportError
from elasticsearch import ApiError

from matching.evaluation import evaluate
from matching.services import evaluation_run_record

DIRECTIONS = ("challenge_to_solutions", "solution_to_challenges")


class Command(BaseCommand):
    help = (
        "ラベル付きデータでマッチングの精度（nDCG@5・P@3・MRR）を双方向に測ります。"
        "データは使い捨ての索引に入れ、サイトのデータには触れません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="matching-dev.json と同じ形式のファイル")
        parser.add_argument(
            "--backend",
            choices=["local", "elasticsearch"],
            default="local",
            help="local: 組み込みの検索エンジン / elasticsearch: ELASTICSEARCH_URL のクラスター",
        )
        parser.add_argument("--json", action="store_true", help="結果をJSONで出力します")
        parser.add_argument(
            "--record",
            action="store_true",
            help="結果を日時とコミットとともに保存し、管理画面の「マッチングの状況」に表示します",
        )

    def handle(self, path, backend, **options):
        as_json = options["json"]
        if backend == "elasticsearch" and not settings.ELASTICSEARCH_URL:
            raise CommandError(
                "--backend elasticsearch には ELASTICSEARCH_URL の設定が必要です"
                "（例: ELASTICSEARCH_URL=http://127.0.0.1:9200）。"
            )

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r文ベクトルを計算しています {done}/{total}", ending="")
            if done == total:
                self.stderr.write("")

        try:
            scores = evaluate(path, backend=backend, progress=progress)
            baseline = evaluate(path, backend=backend, text_only=True)
        except FileNotFoundError as exc:
            raise CommandError(f"ファイルが見つかりません: {path}") from exc
        except (KeyError, ValueError) as exc:
            raise CommandError(f"ラベル付きデータの形式が正しくありません: {exc}") from exc
        except (TransportError, ApiError) as exc:
            raise CommandError(f"Elasticsearch でエラーになりました: {exc}") from exc
        report = {"backend": backend, **scores, "baseline_text_only_bm25": baseline}
        if options["record"]:
            evaluation_run_record(
                dataset=Path(path).name, backend=backend, scores=report, commit=_commit()
            )
        if as_json:
            self.stdout.write(jsonlib.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"backend: {backend}")
        for direction in DIRECTIONS:
            ours, base = scores[direction], baseline[direction]
            self.stdout.write(
                f"{direction}: "
                + "  ".join(
                    f"{metric} {ours[metric]:.3f} (bm25 {base[metric]:.3f})"
                    for metric in ("ndcg@5", "p@3", "mrr")
                )
            )


def _commit() -> str:
    """The code's commit, when the code is a git checkout."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=Path(settings.BASE_DIR),
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
