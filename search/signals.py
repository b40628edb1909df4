"""Signals of the index layer, so that its services never import its tasks.

search.tasks imports search.services (a task loads and calls a service); a service that
wants background work sends one of these, and a receiver in search.signal_handlers enqueues
the task after the commit.
"""

from django.dispatch import Signal

# Indexed documents wait for their sentence vectors.
vectors_wanted = Signal()
