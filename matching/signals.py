"""Signals of the matching layer, so that its services never import its tasks.

matching.tasks imports matching.services (a task loads and calls a service); a service that
wants background work sends one of these, and a receiver in matching.signal_handlers
enqueues the task after the commit.
"""

from django.dispatch import Signal

# A saved interest was created, changed or deleted: the stored alert rules must follow.
interest_changed = Signal()
