"""Personal API tokens sent as ``Authorization: Bearer <token>``."""

from django.utils.translation import gettext_lazy as _

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from forum.selectors.api_tokens import api_token_get_by_key
from forum.services.api_tokens import api_token_touch


class PersonalTokenAuthentication(BaseAuthentication):
    """Looks the token up by its hash; revoked, expired or unknown tokens get 401.

    Requests without an Authorization header are anonymous; the API never reads the
    session cookie, so a signed-in browser is anonymous here too and CSRF does not apply.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Authorization ヘッダーは「Bearer <トークン>」の形で送ってください。")
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("APIトークンが正しくありません。")) from None
        token = api_token_get_by_key(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("APIトークンが正しくありません。"))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("このAPIトークンは取り消されています。"))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("このAPIトークンは有効期限が切れています。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("このアカウントは利用できません。"))
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token to the OpenAPI schema as HTTP bearer authentication."""

    target_class = PersonalTokenAuthentication
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "マイページの「APIトークン」で発行した個人用トークン。"
                "所属する会員団体のソリューションと提案だけを扱えます。"
            ),
        }
