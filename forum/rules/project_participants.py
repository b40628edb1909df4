"""Which role an organisation may take in a project.

Municipalities take part as municipalities and nobody else does; only universities are
universities; the secretariat's own organisation never takes part (the secretariat sees every
project anyway). The project services refuse a participant these rules refuse.
"""

from django.utils.translation import gettext as _

from forum.models import Organisation
from forum.models.projects import ParticipantRole

R = ParticipantRole
K = Organisation.Kind


def participant_role_default(organisation: Organisation) -> str:
    """The participant role an organisation takes by default, from its kind."""
    if organisation.kind == K.MUNICIPALITY:
        return R.MUNICIPALITY
    if organisation.kind == K.UNIVERSITY:
        return R.UNIVERSITY
    return R.COMPANY


def participant_role_refusal(organisation: Organisation, role: str) -> str | None:
    """Why the organisation may not take part in this role, or None when it may."""
    if role not in R.values:
        return _("役割を選んでください。")
    if not organisation.is_approved:
        return _("「%(name)s」は承認済みの団体ではありません。") % {"name": organisation.name}
    if organisation.kind == K.SECRETARIAT:
        return _("事務局の団体はプロジェクトの参加団体になれません。")
    if (role == R.MUNICIPALITY) != (organisation.kind == K.MUNICIPALITY):
        return _("市町村の団体は「市町村」の役割で、それ以外の団体は市町村以外の役割で参加します。")
    if role == R.UNIVERSITY and organisation.kind != K.UNIVERSITY:
        return _("「大学・研究機関」の役割は大学・研究機関の団体だけが持てます。")
    return None
