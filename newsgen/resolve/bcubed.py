"""BCubed precision, recall and F1 of a clustering against a gold clustering.

BCubed scores every item, not every cluster: an item's precision is the share of its predicted
cluster that truly belongs with it, its recall the share of its gold cluster that was put with it
(Bagga & Baldwin 1998; Amigó et al. 2009). Averaged over items, a big wrong merge costs as many
points as the items it hurts, which is what a reader of an event page sees.

Clusterings are mappings item -> cluster label; labels need not match between the two.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float
    f1: float

    def __str__(self) -> str:
        return f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}"


def bcubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> BCubed:
    """Scores over the items both clusterings know (an item missing from one is ignored)."""
    items = [i for i in gold if i in predicted]
    if not items:
        return BCubed(1.0, 1.0, 1.0)
    pairs = Counter((predicted[i], gold[i]) for i in items)  # items shared by a predicted and a gold cluster
    pred_size = Counter(predicted[i] for i in items)
    gold_size = Counter(gold[i] for i in items)
    precision = sum(n * n / pred_size[p] for (p, _), n in pairs.items()) / len(items)
    recall = sum(n * n / gold_size[g] for (_, g), n in pairs.items()) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1)


def bcubed_clusters(predicted: list[list[Hashable]], gold: list[list[Hashable]]) -> BCubed:
    """The same scores for clusterings given as lists of clusters."""
    return bcubed({i: n for n, c in enumerate(predicted) for i in c}, {i: n for n, c in enumerate(gold) for i in c})
