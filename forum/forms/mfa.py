"""allauth's form for adding a passkey, with the forum's Japanese labels: shape only."""

from django.utils.translation import gettext_lazy as _

from allauth.mfa.webauthn.forms import AddWebAuthnForm


class PasskeyAddForm(AddWebAuthnForm):
    """Adds a passkey (or a security key) as a second factor; allauth checks the credential."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("名前")
        self.fields["name"].help_text = _("あとで見分けられる名前（例: 業務用ノートPC）")
        if "passwordless" in self.fields:
            self.fields["passwordless"].label = _("パスワードなしのログインにも使う")
            self.fields["passwordless"].help_text = _(
                "このパスキーだけでログインできるようになります。"
                "その代わり、端末の指紋・顔認証や PIN による確認が必要です。"
            )
