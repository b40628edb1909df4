"""The sign-up form's choice between a member of an organisation and a resident (住民).

allauth adds these fields to its email sign-up form and to the LINE sign-up form
(ACCOUNT_SIGNUP_FORM_CLASS) and calls ``signup`` once the account exists.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.models import Field, Municipality
from forum.services.residents import resident_register

ROLE_MEMBER = "member"
ROLE_RESIDENT = "resident"


class SignupRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("登録の種類"),
        choices=[
            (ROLE_MEMBER, _("団体の会員として登録（企業・大学・市町村など）")),
            (ROLE_RESIDENT, _("住民として登録")),
        ],
        initial=ROLE_MEMBER,
        widget=forms.RadioSelect,
        # Left out, the account is a member's, as before residents existed.
        required=False,
    )
    municipality = forms.ModelChoiceField(
        label=_("お住まいの市町村"),
        queryset=Municipality.objects.exclude(kind=Municipality.Kind.PREFECTURE),
        required=False,
        help_text=_("住民として登録する方は選んでください。公開される場合も市町村名だけです。"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == ROLE_RESIDENT and not cleaned.get("municipality"):
            self.add_error(
                "municipality", _("住民として登録するには、お住まいの市町村を選んでください。")
            )
        return cleaned

    def signup(self, request, user) -> None:
        """Register the new account as a resident when the person chose so."""
        if self.cleaned_data.get("role") == ROLE_RESIDENT:
            resident_register(user=user, municipality=self.cleaned_data["municipality"])


def _field_choice(empty_label=None) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("分野"), queryset=Field.objects.filter(is_active=True), empty_label=empty_label
    )


class NeedForm(forms.Form):
    """A resident's need: the shape only; the service checks length, HTML and the photo."""

    title = forms.CharField(
        label=_("タイトル"),
        max_length=100,
        help_text=_("例: 駅前の歩道が暗くて夜道が不安"),
    )
    description = forms.CharField(
        label=_("困っていること"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "いつ・どこで・誰が困っているかを書いてください。"
            "お名前・住所・電話番号など個人が分かることは書かないでください。"
        ),
    )
    # An empty first choice, so a resident who skips the field is asked for it instead of
    # sending the first field without noticing.
    field = _field_choice(empty_label=_("選択してください"))
    place_name = forms.CharField(
        label=_("場所（任意）"),
        max_length=100,
        required=False,
        help_text=_("地名や施設名まで（番地は書かないでください）"),
    )
    photo = forms.FileField(
        label=_("写真（任意）"),
        required=False,
        help_text=_("JPEG・PNG・WebP・GIF、8MBまで。位置情報などは取り除いて保存します。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )


class NeedEditForm(forms.Form):
    """Staff edit a need before publishing it."""

    title = forms.CharField(label=_("タイトル"), max_length=100)
    description = forms.CharField(
        label=_("内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )
    field = _field_choice()
    place_name = forms.CharField(label=_("場所"), max_length=100, required=False)
    remove_photo = forms.BooleanField(label=_("写真を削除する"), required=False)


class NeedDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("見送りの理由（住民の方に伝わります）"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NeedMergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("統合先（同じ内容の困りごと）"), queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = candidates


class TesterCallForm(forms.Form):
    """A project's call for resident testers."""

    title = forms.CharField(label=_("募集の名前"), max_length=100)
    description = forms.CharField(
        label=_("試していただくこと"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.CharField(label=_("場所"), max_length=200)
    starts_on = forms.DateField(
        label=_("期間（開始）"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("期間（終了）"), widget=forms.DateInput(attrs={"type": "date"})
    )
    places = forms.IntegerField(label=_("募集人数"), min_value=1, max_value=1000)
    conditions = forms.CharField(
        label=_("応募の条件"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例: 市内在住で、スマートフォンをお持ちの方"),
    )


class TesterApplyForm(forms.Form):
    note = forms.CharField(
        label=_("ひとこと（任意）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("条件に合うことなどを書いてください。連絡先は書かないでください。"),
    )


class TesterMessageForm(forms.Form):
    body = forms.CharField(
        label=_("選ばれたモニターへのメッセージ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
