"""Suggestion quality against an honest baseline (issue 20, point 5); used by ``suggest.py``.

Every system sees the same outer folds (5, seed 0) and, for the learning curve, the same
training excerpts in the same order: after ``n`` coded excerpts means the first ``n`` of a fixed
shuffle of the training folds. Nothing is tuned on the held-out fold:

- **baseline**: TF-IDF (word uni+bigrams, sublinear tf, min_df 2) + one L2 logistic
  regression per code (liblinear, C = 1) with ``class_weight="balanced"``; each code's
  threshold is the one with the best F1 on out-of-fold probabilities of an inner 3-fold
  cross-validation *of the training part only* (the same threshold grid coder uses);
- **baseline, C tuned**: the same, with each code's C chosen from ``C_GRID`` together with its
  threshold on the same inner folds (coder's classifier defaults were once set while looking at
  this sample, see benchmarks/data/README.md, so the baseline gets its own tuning, inside CV);
- **coder**: ``SuggestModel.train`` on the same training part (its own inner folds tune
  thresholds and fusion weights), predicting with its thresholds; with the codebook's
  indicators restricted to what the codebook says (each code's label, see ``label_indicators``);
- **coder, hand-written indicators**: the same with the shipped codebook's indicator lexicon,
  reported apart because its provenance cannot be checked (see benchmarks/data/README.md);
- **indicators alone**: the label-derived indicators, no learning.

Scores: micro and macro F1 over the codes with at least ``MIN_SUPPORT`` examples in the dataset.
"""

from __future__ import annotations

import dataclasses
import random
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

MIN_SUPPORT = 15
FOLDS = 5
INNER_FOLDS = 3
CURVE = (50, 100, 200, 500)
TARGET_MARGIN = 0.10
C_GRID = (0.1, 1.0, 10.0, 100.0)
"""Inverse regularisation strengths the tuned baseline chooses from, per code, on inner folds."""
Predict = Callable[[list[int], list[int]], list[set[str]]]


def log(message: str) -> None:
    """Progress to stderr."""
    print(f"[suggest-bench] {message}", file=sys.stderr, flush=True)


def label_indicators(book: Any, language: str) -> Any:
    """The codebook with each code's indicators replaced by its own label (and nothing else).

    This is the one lexicon a coder has before coding anything, and it cannot have been
    written by looking at the evaluation data.
    """
    codes = []
    for code in book.codes:
        if code.codable:
            label = code.label_in(language).strip()
            code = dataclasses.replace(code, indicators={language: (label,)}, patterns=())
        codes.append(code)
    return dataclasses.replace(book, codes=tuple(codes))


def outer_folds(n: int, folds: int, seed: int) -> list[int]:
    """Fold of each example (a seeded shuffle dealt round-robin)."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    assignment = [0] * n
    for position, index in enumerate(order):
        assignment[index] = position % folds
    return assignment


def _threshold(probs: Any, gold: Any) -> tuple[float, float]:
    """(best F1, threshold) on the grid (middle of ties); (0, 0.5) when nothing is found."""
    import numpy as np

    from coder.suggest.scoring import THRESHOLD_GRID

    grid = np.asarray(THRESHOLD_GRID)
    predicted = probs[:, None] >= grid[None, :]
    tp = (predicted & gold[:, None]).sum(axis=0)
    fp = (predicted & ~gold[:, None]).sum(axis=0)
    fn = gold.sum() - tp
    f1 = np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0)
    if f1.max() <= 0:
        return 0.0, 0.5
    best = np.flatnonzero(f1 >= f1.max() - 1e-12)
    return float(f1.max()), float(grid[best[len(best) // 2]])


def _lr_probs(train_texts: list[str], y: Any, test_texts: list[str], c: Any) -> Any:
    """Balanced TF-IDF + logistic regression probabilities per code (NaN: not fittable);
    ``c[k]`` is code k's inverse regularisation strength."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x_train = vectorizer.fit_transform(train_texts)
    x_test = vectorizer.transform(test_texts)
    probs = np.full((len(test_texts), y.shape[1]), np.nan)
    for k in range(y.shape[1]):
        if y[:, k].min() == y[:, k].max():
            continue
        model = LogisticRegression(C=float(c[k]), class_weight="balanced", solver="liblinear")
        probs[:, k] = model.fit(x_train, y[:, k]).predict_proba(x_test)[:, 1]
    return probs


def baseline_predict(
    texts: list[str],
    y: Any,
    codes: Sequence[str],
    train: list[int],
    test: list[int],
    seed: int,
    grid: Sequence[float] = (1.0,),
) -> list[set[str]]:
    """The honest baseline: balanced LR; per code, the C of ``grid`` and the threshold with
    the best F1 on out-of-fold probabilities of inner folds of ``train`` (never ``test``)."""
    import numpy as np

    inner = outer_folds(len(train), INNER_FOLDS, seed + 1)
    best = [(-1.0, grid[0], 0.5) for _ in codes]
    for c in grid:
        oof = np.full((len(train), len(codes)), np.nan)
        for fold in range(INNER_FOLDS):
            fit = [train[i] for i in range(len(train)) if inner[i] != fold]
            held = [i for i in range(len(train)) if inner[i] == fold]
            if not held or not fit:
                continue
            oof[held] = _lr_probs(
                [texts[i] for i in fit], y[fit], [texts[train[i]] for i in held], [c] * len(codes)
            )
        for k in range(len(codes)):
            known = ~np.isnan(oof[:, k])
            f1, t = _threshold(oof[known, k], y[train][known, k] > 0) if known.any() else (0, 0.5)
            if f1 > best[k][0] + 1e-12:
                best[k] = (f1, c, t)
    probs = _lr_probs(
        [texts[i] for i in train], y[train], [texts[i] for i in test], [b[1] for b in best]
    )
    chosen = np.nan_to_num(probs, nan=-1.0) >= np.asarray([b[2] for b in best])[None, :]
    return [{codes[k] for k in np.flatnonzero(row)} for row in chosen]


def coder_predictor(
    analyses: list[Any], labels: list[set[str]], codes: list[str], matcher: Any
) -> Predict:
    """Train coder's model on ``train`` rows and predict ``test`` rows."""
    from coder.suggest.evaluation import predict_sets
    from coder.suggest.model import Example, SuggestModel

    def predict(train: list[int], test: list[int]) -> list[set[str]]:
        examples = [Example(analyses[i], frozenset(labels[i]), group=i) for i in train]
        model = SuggestModel.train(examples, codes, matcher.codes)
        return predict_sets(model, [analyses[i] for i in test], codes)

    return predict


def _scores(
    predicted: dict[int, set[str]], labels: list[set[str]], keep: list[str]
) -> dict[str, Any]:
    from coder.suggest.scoring import Scores

    rows = sorted(predicted)
    scores = Scores.compute([predicted[i] for i in rows], [labels[i] for i in rows], keep)
    return {
        "macro_f1": round(scores.macro_f1, 4),
        "micro_f1": round(scores.micro.f1, 4),
        "macro_precision": round(scores.macro_precision, 4),
        "macro_recall": round(scores.macro_recall, 4),
        "per_code_f1": {code: round(scores.per_code[code].f1, 4) for code in keep},
    }


def evaluate_dataset(
    texts: list[str],
    labels: list[set[str]],
    book: Any,
    language: str,
    *,
    sizes: Sequence[int] = CURVE,
    seed: int = 0,
) -> dict[str, Any]:
    """Full-training and learning-curve scores of every system on one dataset."""
    import numpy as np

    from coder.suggest.analyser import Analyser

    codes = [code.id for code in book.codable_codes]
    support = {c: sum(1 for ls in labels if c in ls) for c in codes}
    keep = [c for c in codes if support[c] >= MIN_SUPPORT]
    y = np.array([[c in ls for c in codes] for ls in labels], dtype=int)
    derived = Analyser(label_indicators(book, language), language)
    written = Analyser(book, language, loaded=(derived.nlp, derived.info))
    by_label = derived.analyse_all(texts)
    by_hand = written.analyse_all(texts)
    systems: dict[str, Predict] = {
        "baseline": lambda tr, te: baseline_predict(texts, y, codes, tr, te, seed),
        "baseline_tuned_c": lambda tr, te: baseline_predict(texts, y, codes, tr, te, seed, C_GRID),
        "coder": coder_predictor(by_label, labels, codes, derived.matcher),
        "coder_handwritten_indicators": coder_predictor(by_hand, labels, codes, written.matcher),
        "indicators_only": lambda _tr, te: [
            {c for c, n in by_label[i].hit_counts().items() if n > 0} for i in te
        ],
    }
    assignment = outer_folds(len(texts), FOLDS, seed)
    steps = [*[n for n in sizes if n < len(texts) * (FOLDS - 1) / FOLDS], None]
    results: dict[str, Any] = {name: {} for name in systems}
    seconds: dict[str, float] = dict.fromkeys(systems, 0.0)
    for n in steps:
        key = "all" if n is None else str(n)
        predicted: dict[str, dict[int, set[str]]] = {name: {} for name in systems}
        for fold in range(FOLDS):
            train = [i for i, f in enumerate(assignment) if f != fold]
            random.Random(seed * 1000 + fold).shuffle(train)
            train = train if n is None else train[:n]
            test = [i for i, f in enumerate(assignment) if f == fold]
            for name, predict in systems.items():
                started = time.perf_counter()
                predicted[name].update(zip(test, predict(train, test), strict=True))
                seconds[name] += time.perf_counter() - started
        for name in systems:
            results[name][key] = _scores(predicted[name], labels, keep)
        log(
            f"  after {key} excerpts: "
            + ", ".join(f"{name} {results[name][key]['macro_f1']:.3f}" for name in systems)
        )
    return {
        "examples": len(texts),
        "codes": len(codes),
        "labels_scored": keep,
        "support": {c: support[c] for c in keep},
        "min_support": MIN_SUPPORT,
        "folds": FOLDS,
        "training_per_fold": len(texts) - len(texts) // FOLDS,
        "systems": results,
        "seconds": {name: round(s, 2) for name, s in seconds.items()},
        "targets": _targets(results, [("all" if n is None else str(n)) for n in steps]),
    }


def _targets(results: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """Lead of coder over the baseline (macro F1) at each point, and the target verdicts."""
    lead = {
        key: round(results["coder"][key]["macro_f1"] - results["baseline"][key]["macro_f1"], 4)
        for key in keys
    }
    tuned = {
        key: round(
            results["coder"][key]["macro_f1"] - results["baseline_tuned_c"][key]["macro_f1"], 4
        )
        for key in keys
    }
    early = [lead[k] for k in ("50", "100", "200") if k in lead]
    return {
        "macro_f1_lead": lead,
        "macro_f1_lead_over_tuned_c": tuned,
        "target_margin": TARGET_MARGIN,
        "meets_margin_full_training": lead["all"] >= TARGET_MARGIN,
        "leads_at_50_to_200": bool(early) and all(v > 0 for v in early),
        "meets_margin_at_50_to_200": bool(early) and all(v >= TARGET_MARGIN for v in early),
    }
