"""A gradient-boosted forest evaluated with numpy: the signature verifier's model as plain
arrays (written by `train_signatures` from LightGBM's own dump), so the pipeline needs neither
LightGBM nor its imports (about 3 s per worker process) to use it.

Every tree is a list of nodes; node `k` splits on `feature[k]` at `threshold[k]` (`x <=
threshold` goes left) into `left[k]` and `right[k]`, where a negative child `-1 - i` is leaf
`i` with value `leaf[i]`. Every row walks every tree at once, one level per step."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Forest:
    """All trees' nodes in one numbering: node arrays, the leaves' values, and each tree's root.
    A child below zero is leaf `-1 - child` (of all trees' leaves)."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    leaf: np.ndarray
    roots: np.ndarray
    features: int
    sigmoid: bool

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Forest:
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        leaf: list[float] = []
        roots: list[int] = []
        for tree in data["trees"]:
            nodes, leaves = len(feature), len(leaf)

            def move(child: int, nodes: int = nodes, leaves: int = leaves) -> int:
                return nodes + child if child >= 0 else -1 - (leaves + (-1 - child))

            roots.append(nodes)
            feature += tree["feature"]
            threshold += tree["threshold"]
            left += [move(c) for c in tree["left"]]
            right += [move(c) for c in tree["right"]]
            leaf += tree["leaf"]
        return cls(
            np.array(feature, np.int64), np.array(threshold, np.float64),
            np.array(left, np.int64), np.array(right, np.int64), np.array(leaf, np.float64),
            np.array(roots, np.int64), int(data["features"]), bool(data["sigmoid"]),
        )  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> Forest:
        return cls.from_dict(json.loads(path.read_text()))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Each row's score (a probability when the forest was trained with a sigmoid)."""
        x = np.asarray(x, np.float64)
        if x.ndim != 2 or x.shape[1] != self.features:
            raise ValueError(f"expected rows of {self.features} features, got {x.shape}")
        count = x.shape[0]
        flat = x.ravel()
        base = np.repeat(np.arange(count) * self.features, self.roots.size)
        node = np.tile(self.roots, count)  # every row at every tree's root
        live = np.arange(node.size)  # positions still at an inner node
        while live.size:
            at = node[live]
            value = flat[base[live] + self.feature[at]]
            node[live] = np.where(value <= self.threshold[at], self.left[at], self.right[at])
            live = live[node[live] >= 0]
        raw = self.leaf[-1 - node].reshape(count, self.roots.size).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw)) if self.sigmoid else raw


def _flatten(tree: dict[str, Any]) -> dict[str, list[Any]]:
    """One tree of LightGBM's `dump_model()` as node arrays (numerical splits only)."""
    out: dict[str, list[Any]] = {
        "feature": [],
        "threshold": [],
        "left": [],
        "right": [],
        "leaf": [],
    }

    def walk(node: dict[str, Any]) -> int:
        if "leaf_value" in node:
            out["leaf"].append(float(node["leaf_value"]))
            return -len(out["leaf"])  # -1 - index
        if node.get("decision_type", "<=") != "<=":
            raise ValueError("only numerical '<=' splits are supported")
        k = len(out["feature"])
        for key in ("feature", "threshold", "left", "right"):
            out[key].append(0)
        out["feature"][k] = int(node["split_feature"])
        out["threshold"][k] = float(node["threshold"])
        out["left"][k] = walk(node["left_child"])
        out["right"][k] = walk(node["right_child"])
        return k

    root = tree["tree_structure"]
    if "leaf_value" in root:  # a tree of one leaf: a node that always ends in it
        out.update(feature=[0], threshold=[0.0], left=[-1], right=[-1], leaf=[root["leaf_value"]])
    else:
        walk(root)
    return out


def from_lightgbm(dump: dict[str, Any]) -> dict[str, Any]:
    """A forest dict (see `Forest.from_dict`) from LightGBM's `Booster.dump_model()`."""
    objective = str(dump.get("objective", ""))
    return {
        "features": int(dump["max_feature_idx"]) + 1,
        "sigmoid": objective.startswith(("binary", "cross_entropy", "xentropy")),
        "trees": [_flatten(t) for t in dump["tree_info"]],
    }
