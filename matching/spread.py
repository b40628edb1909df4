"""Lists of suggestions that one counterpart cannot fill: a rule on orderings, nothing else.

A solution written in general terms (a multilingual chatbot for city halls) sits close to
almost every municipal challenge; ranked by score alone it would take every place on the
secretariat's board and on a member's page, and hide the pairings that stand out. The rule is
the one the board already applies per challenge, turned to the other side: the list is read in
rounds, and in each round a group (a solution, a source) takes at most ``per_group`` places,
best first; everything stays reachable further down.
"""

from collections import Counter
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


def spread_by(items: list[T], group_of: Callable[[T], Hashable], *, per_group: int) -> list[T]:
    """The items (best first) in rounds: each group's first ``per_group`` items, best first,
    then each group's next ``per_group``, and so on. The order within a group is kept."""
    taken: Counter = Counter()
    keyed = []
    for position, item in enumerate(items):
        group = group_of(item)
        keyed.append((taken[group] // per_group, position, item))
        taken[group] += 1
    return [item for _round, _position, item in sorted(keyed, key=lambda k: (k[0], k[1]))]
