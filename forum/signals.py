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
