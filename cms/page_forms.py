"""Admin forms of page types (imported by the models, so no page model imports here)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminPageForm

from cms.rules.english import stamp_language_changes
from forum.models import Department, Organisation


def departments_of_municipality(municipality_id: int | None):
    """The departments (所属・局) of the municipality organisation of a place (the prefecture's
    bureaus for the prefecture), in their organisation's order."""
    return Department.objects.filter(
        organisation__municipality_id=municipality_id,
        organisation__kind=Organisation.Kind.MUNICIPALITY,
    ).select_related("organisation")


class EnglishVersionPageForm(WagtailAdminPageForm):
    """A page with an English version records which language's text each edit changed
    (cms.rules.english), so an English version older than the Japanese shows."""

    def save(self, commit=True):
        stamp_language_changes(self.instance, set(self.changed_data), timezone.now())
        return super().save(commit=commit)


class ChallengePageForm(EnglishVersionPageForm):
    """Checks a challenge before it can be saved or submitted, with messages for the author.

    The owning department is chosen among the departments of the municipality whose place in
    the tree holds the challenge; any other is refused with a message naming the rule.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "department" in self.fields:
            field = self.fields["department"]
            field.queryset = departments_of_municipality(self._municipality_id())
            field.error_messages["invalid_choice"] = _(
                "担当所属は、この課題の市町村（府）の所属・局から選んでください。"
            )

    def _municipality_id(self) -> int | None:
        parent = getattr(self, "parent_page", None)
        return getattr(parent.specific, "municipality_id", None) if parent is not None else None

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
