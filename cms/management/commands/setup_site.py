from urllib.parse import urlparse

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from cms.demo.accounts import demo_accounts_create
from cms.demo.calls import demo_calls_create
from cms.demo.history import demo_history_create
from cms.demo.projects import demo_projects_create
from cms.demo.residents import demo_residents_create
from cms.demo.solutions import demo_solutions_create
from cms.demo.strategy import demo_strategy_create
from cms.services import django_site_ensure, site_ensure
from cms.tasks import municipality_spaces_sweep
from forum.services.groups import groups_ensure
from forum.services.reference import reference_data_load


class Command(BaseCommand):
    help = (
        "参照データ・権限グループ・サイトのページを準備し、--demo でデモ用のログインを作成します。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo", action="store_true", help="デモ用の団体とログインを作成します。"
        )

    def handle(self, *args, demo: bool = False, **options):
        steps = ["reference data", "groups", "site"] + (["demo accounts"] if demo else [])
        total = len(steps)
        step = 0

        def progress(label: str) -> None:
            nonlocal step
            step += 1
            self.stdout.write(f"[{step}/{total}] {label}")

        progress(steps[0])
        for name, result in reference_data_load().items():
            self.stdout.write(f"      {name}: +{result.created}, kept {result.updated}")
        progress(steps[1])
        groups_ensure()
        progress(steps[2])
        url = urlparse(settings.SITE_URL)
        django_site_ensure(domain=url.netloc, name=settings.WAGTAIL_SITE_NAME)
        site_ensure(hostname=url.hostname or "localhost", port=url.port or 80)
        municipality_spaces_sweep()
        if not demo:
            return
        progress(steps[3])
        logins = demo_accounts_create()
        demo_solutions_create()
        municipality_spaces_sweep()
        call_command("load_demo_content", stdout=self.stdout)
        projects = demo_projects_create()
        history = demo_history_create()
        self.stdout.write(f"      demo projects: +{projects}, history since FY2020: +{history}")
        self.stdout.write(f"      demo calls: +{demo_calls_create()}")
        logins += demo_residents_create()
        self.stdout.write(f"      demo strategy themes: +{demo_strategy_create()}")
        self._print_logins(logins)

    def _print_logins(self, logins) -> None:
        new = [login for login in logins if login.created]
        if not new:
            self.stdout.write(
                "Demo logins already exist; their passwords were printed when they were created."
            )
            return
        self.stdout.write(
            self.style.SUCCESS("\nDemo logins (store these; they are printed only once):")
        )
        for login in new:
            self.stdout.write(f"  {login.role:13} {login.email}  password: {login.password}")
            if login.totp_secret:
                self.stdout.write(
                    f"                authenticator secret: {login.totp_secret} "
                    f"(otpauth://totp/OSCPF:{login.email}?secret={login.totp_secret}&issuer=OSCPF)"
                )
        bypass = getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", None)
        if settings.DEBUG and bypass:
            self.stdout.write(
                f"  On this development server the two-factor code {bypass} is also accepted."
            )
