"""Signals the domain sends so that the index and matching layers can follow changes.

forum imports neither search nor matching; they connect receivers to these.
"""

from django.dispatch import Signal

# Sent after commit is not guaranteed; receivers write outbox rows in the same transaction.
challenge_changed = Signal()  # kwargs: instance_id
solution_changed = Signal()  # kwargs: instance_id
organisation_changed = Signal()  # kwargs: instance_id
proposal_accepted = Signal()  # kwargs: proposal_id, actor_id
project_changed = Signal()  # kwargs: instance_id (what the public sees of it may have changed)
need_changed = Signal()  # kwargs: instance_id (published, edited, declined or merged)

# Background work the forum's services want; forum.signal_handlers queues the tasks after the
# commit, so the services never import the tasks that call them.
notification_email_wanted = Signal()  # kwargs: notification_id
invitation_created = Signal()  # kwargs: invitation_id
panel_invitation_created = Signal()  # kwargs: panel_member_id
