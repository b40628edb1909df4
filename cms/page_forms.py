"""Admin forms of page types (imported by the models, so no model imports here)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminPageForm

from cms.rules.english import stamp_language_changes


class EnglishVersionPageForm(WagtailAdminPageForm):
    """A page with an English version records which language's text each edit changed
    (cms.rules.english), so an English version older than the Japanese shows."""

    def save(self, commit=True):
        stamp_language_changes(self.instance, set(self.changed_data), timezone.now())
        return super().save(commit=commit)


class ChallengePageForm(EnglishVersionPageForm):
    """Checks a challenge before it can be saved or submitted, with messages for the author."""

    def clean(self):
        cleaned = super().clean()
        deadline = cleaned.get("deadline")
        if deadline and deadline < timezone.localdate() and not cleaned.get("is_closed"):
            self.add_error(
                "deadline",
                _(
                    "募集締切が過去の日付です。今日以降の日付を入力するか、「募集を終了する」を選んでください。"
                ),
            )
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("予算の上限は下限以上にしてください。"))
        parent = getattr(self, "parent_page", None)
        if parent is not None and getattr(parent.specific, "municipality_id", None) is None:
            self.add_error(None, _("課題は市町村ごとの掲載場所の下に作成してください。"))
        self._check_call(cleaned, parent)
        return cleaned

    def _check_call(self, cleaned, parent) -> None:
        """A challenge joins a forum-wide call or its own municipality's, nobody else's."""
        call = cleaned.get("call")
        if call is None or parent is None:
            return
        municipality_id = getattr(parent.specific, "municipality_id", None)
        runner = call.organisation
        if runner.kind == "municipality" and runner.municipality_id != municipality_id:
            self.add_error("call", _("他の市町村の募集回には参加できません。"))
