"""``ModelAgreement``: the suggestion model measured as a coder, per code and human coder.

Input is plain data: for each human coder, the excerpts the coder reviewed, the codes the coder
applied there, and the codes the model suggested there *held out* (by a model that never saw
those excerpts; see ``coder.suggest.held_out``). Per code and coder, the two are compared like
any pair of coders: Cohen's kappa and Gwet's AC1 with a unit (excerpt) bootstrap percentile
interval, from the same sufficient statistics as the excerpt report (``coder.agreement.binary``).

A code's verdict: the model is *better than chance* on it when, for at least one human coder,
kappa's interval lies above 0. When every defined comparison has an interval that includes or is
below 0, the model does no better than chance and its suggestions for the code are withheld
(``withheld``); a code with no defined comparison (nobody applied it and the model never
suggested it, or no held-out excerpt) is *not measured* and keeps its suggestions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from coder.agreement.binary import BinarySums, binary_coefficients, binary_values
from coder.agreement.bootstrap import percentile_interval, resample_counts
from coder.agreement.result import Coefficient, Interval

DEFAULT_REPLICATES = 1000
DEFAULT_CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class ModelCodeAgreement:
    """The model against one human coder on one code, over that coder's held-out excerpts."""

    code: str
    """The code."""
    coder: str
    """The human coder."""
    units: int
    """Held-out excerpts the coder reviewed."""
    model_positives: int
    """Of those, excerpts where the model suggested the code."""
    coder_positives: int
    """Of those, excerpts where the coder applied the code."""
    kappa: float | None
    """Cohen's kappa; None when undefined."""
    kappa_low: float | None
    """Lower bound of kappa's interval."""
    kappa_high: float | None
    """Upper bound of kappa's interval."""
    ac1: float | None
    """Gwet's AC1; None when undefined."""
    ac1_low: float | None
    """Lower bound of AC1's interval."""
    ac1_high: float | None
    """Upper bound of AC1's interval."""
    reason: str | None = None
    """Why kappa (or its interval) is undefined."""

    @property
    def defined(self) -> bool:
        """Whether kappa and its interval exist."""
        return self.kappa is not None and self.kappa_low is not None

    @property
    def better_than_chance(self) -> bool:
        """Kappa's interval lies above 0."""
        return self.kappa_low is not None and self.kappa_low > 0

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON (and for the model's metadata)."""
        return {
            "code": self.code,
            "coder": self.coder,
            "units": self.units,
            "model_positives": self.model_positives,
            "coder_positives": self.coder_positives,
            "kappa": self.kappa,
            "kappa_low": self.kappa_low,
            "kappa_high": self.kappa_high,
            "ac1": self.ac1,
            "ac1_low": self.ac1_low,
            "ac1_high": self.ac1_high,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelCodeAgreement:
        """Inverse of ``to_dict``."""

        def num(key: str) -> float | None:
            value = data.get(key)
            return None if value is None else float(value)

        return cls(
            str(data["code"]),
            str(data["coder"]),
            int(data["units"]),
            int(data["model_positives"]),
            int(data["coder_positives"]),
            num("kappa"),
            num("kappa_low"),
            num("kappa_high"),
            num("ac1"),
            num("ac1_low"),
            num("ac1_high"),
            None if data.get("reason") is None else str(data["reason"]),
        )


@dataclass(frozen=True, slots=True)
class ModelAgreement:
    """Every (code, coder) comparison of one model, and how it was measured."""

    rows: tuple[ModelCodeAgreement, ...]
    """Per code (codebook order), per coder (by name)."""
    folds: int
    """Cross-validation folds that produced the held-out suggestions."""
    replicates: int
    """Bootstrap replicates of each interval."""
    confidence: float
    """Confidence level of the intervals."""
    seed: int
    """Seed of the folds and of the bootstrap."""

    def for_code(self, code: str) -> tuple[ModelCodeAgreement, ...]:
        """The comparisons of one code."""
        return tuple(row for row in self.rows if row.code == code)

    def withheld(self, code: str) -> bool:
        """True when the model does no better than chance on ``code`` (see the module doc)."""
        defined = [row for row in self.for_code(code) if row.defined]
        return bool(defined) and not any(row.better_than_chance for row in defined)

    def reason(self, code: str) -> str | None:
        """Why the code's suggestions are withheld, in words; None when they are not."""
        if not self.withheld(code):
            return None
        parts = [
            f"κ {row.kappa:.2f} [{row.kappa_low:.2f}, {row.kappa_high:.2f}] with {row.coder}"
            for row in self.for_code(code)
            if row.defined
            and row.kappa is not None
            and row.kappa_high is not None
            and row.kappa_low is not None
        ]
        return (
            f"{code}: no suggestions, the model is no better than chance on held-out excerpts "
            f"({'; '.join(parts)})"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {
            "unit": "held-out excerpt reviewed by the coder",
            "folds": self.folds,
            "replicates": self.replicates,
            "confidence": self.confidence,
            "seed": self.seed,
            "rows": [row.to_dict() for row in self.rows],
            "withheld": sorted({row.code for row in self.rows if self.withheld(row.code)}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelAgreement:
        """Inverse of ``to_dict``."""
        return cls(
            tuple(ModelCodeAgreement.from_dict(row) for row in data.get("rows", ())),
            int(data["folds"]),
            int(data["replicates"]),
            float(data["confidence"]),
            int(data["seed"]),
        )


def _interval(values: Any, replicates: int, seed: int, confidence: float) -> Interval:
    return percentile_interval(values, replicates=replicates, seed=seed, confidence=confidence)


def _compare(
    code_ids: Sequence[str],
    coder: str,
    model: Any,
    human: Any,
    *,
    replicates: int,
    seed: int,
    confidence: float,
) -> list[ModelCodeAgreement]:
    """All codes for one coder; ``model`` and ``human`` are units x codes 0/1 arrays."""
    import numpy as np

    n, codes = human.shape
    stats = np.concatenate([model, human, (model + human) ** 2], axis=1).astype(np.float64)
    units = np.full(codes, float(n))
    sums = BinarySums(
        2,
        units,
        model.sum(axis=0) + human.sum(axis=0),
        stats[:, 2 * codes :].sum(axis=0),
        model.sum(axis=0).astype(np.float64),
        human.sum(axis=0).astype(np.float64),
    )
    point = binary_values(sums)
    kappas = np.empty((replicates, codes))
    ac1s = np.empty((replicates, codes))
    done = 0
    for block in resample_counts(n, replicates, seed) if n and replicates else ():
        drawn = block.astype(np.float64) @ stats
        rows = drawn.shape[0]
        first, second = drawn[:, :codes], drawn[:, codes : 2 * codes]
        count = np.full((rows, codes), float(n))
        values = binary_values(
            BinarySums(2, count, first + second, drawn[:, 2 * codes :], first, second)
        )
        kappas[done : done + rows] = values["kappa"]
        ac1s[done : done + rows] = values["gwet_ac1"]
        done += rows
    result = []
    for k, code in enumerate(code_ids):
        coefficients: dict[str, Coefficient] = binary_coefficients(sums, (k,), point)
        kappa, ac1 = coefficients["kappa"], coefficients["gwet_ac1"]
        k_ci = _interval(kappas[:, k], replicates, seed, confidence) if done else None
        a_ci = _interval(ac1s[:, k], replicates, seed, confidence) if done else None
        reason = kappa.reason or (k_ci.reason if k_ci is not None else "no bootstrap")
        result.append(
            ModelCodeAgreement(
                code,
                coder,
                n,
                int(model[:, k].sum()),
                int(human[:, k].sum()),
                kappa.value,
                None if kappa.value is None or k_ci is None else k_ci.low,
                None if kappa.value is None or k_ci is None else k_ci.high,
                ac1.value,
                None if ac1.value is None or a_ci is None else a_ci.low,
                None if ac1.value is None or a_ci is None else a_ci.high,
                None if kappa.value is not None and k_ci is not None and k_ci.defined else reason,
            )
        )
    return result


def measure_model(
    codes: Sequence[str],
    held_out: Mapping[str, Sequence[tuple[Set[str], Set[str]]]],
    *,
    folds: int,
    replicates: int = DEFAULT_REPLICATES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> ModelAgreement:
    """Compare the model with each coder: ``held_out[coder]`` lists, per reviewed excerpt,
    (codes the model suggested held out, codes the coder applied)."""
    import numpy as np

    rows: list[ModelCodeAgreement] = []
    per_coder: dict[str, list[ModelCodeAgreement]] = {}
    for coder in sorted(held_out):
        pairs = held_out[coder]
        model = np.array([[c in m for c in codes] for m, _ in pairs], dtype=np.int64)
        human = np.array([[c in h for c in codes] for _, h in pairs], dtype=np.int64)
        model = model.reshape(len(pairs), len(codes))
        human = human.reshape(len(pairs), len(codes))
        per_coder[coder] = _compare(
            codes, coder, model, human, replicates=replicates, seed=seed, confidence=confidence
        )
    for k in range(len(codes)):
        rows.extend(per_coder[coder][k] for coder in sorted(per_coder))
    return ModelAgreement(tuple(rows), folds, replicates, confidence, seed)
