"""Turning the nearest-neighbour votes into probabilities that mean what they say.

The vote share of the top code is not a probability: a short text whose 10 neighbours all share a
code can still be wrong. On texts held out of training the model fits a logistic map from three
features of a row (the top code's vote share, its margin over the runner-up, the similarity of the
single nearest text) to "the top code is right". A confidence of 0.8 then means about 8 in 10 such
rows were right on held-out data; bench/autocode_benchmark.py prints the reliability table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Calibration:
    weights: np.ndarray  # logistic weights for [1, share, margin, nearest similarity]

    def confidence(self, features: np.ndarray) -> np.ndarray:
        z = self.weights[0] + features @ self.weights[1:]
        return 1.0 / (1.0 + np.exp(-z))


def fit_calibration(features: np.ndarray, right: np.ndarray) -> Calibration:
    """features: rows × 3 (share, margin, nearest similarity) of held-out texts; right: whether
    the top code was the text's code."""
    x = np.column_stack([np.ones(len(features)), features])
    return Calibration(weights=_fit_logistic(x, right.astype(float)))


def _fit_logistic(x: np.ndarray, y: np.ndarray, iterations: int = 100, ridge: float = 1e-3) -> np.ndarray:
    """Newton's method for a four-weight logistic regression (no solver needed for so few weights)."""
    w = np.zeros(x.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + ridge * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + ridge * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w
