"""Scores (hand-worked and against scikit-learn) and the ``cross_validate`` API."""

from __future__ import annotations

import random

import pytest

from coder.domain.codebook import Code, Codebook
from coder.errors import CoderError
from coder.suggest import EvaluationReport, cross_validate
from coder.suggest.scoring import PRF, Scores


def test_scores_hand_worked() -> None:
    # a: tp 2 (rows 0, 1), fp 1 (row 2), fn 1 (row 3) -> P 2/3, R 2/3, F1 2/3
    # b: tp 1 (row 2), fp 0, fn 1 (row 0) -> P 1, R 1/2, F1 2/3
    # c: never in gold or predicted -> left out of the macro average
    gold = [{"a", "b"}, {"a"}, {"b"}, {"a"}]
    predicted = [{"a"}, {"a"}, {"a", "b"}, set()]
    scores = Scores.compute(predicted, gold, ["a", "b", "c"])
    assert scores.per_code["a"] == PRF(2, 1, 1)
    assert scores.per_code["b"] == PRF(1, 0, 1)
    assert scores.micro == PRF(3, 1, 2)
    assert scores.micro.precision == pytest.approx(3 / 4)
    assert scores.micro.recall == pytest.approx(3 / 5)
    assert scores.micro.f1 == pytest.approx(2 / 3)
    assert scores.macro_precision == pytest.approx((2 / 3 + 1) / 2)
    assert scores.macro_recall == pytest.approx((2 / 3 + 1 / 2) / 2)
    assert scores.macro_f1 == pytest.approx(2 / 3)
    data = scores.to_dict()
    assert set(data) == {"micro", "macro", "per_code"}
    assert set(data["micro"]) == set(data["macro"]) == {"precision", "recall", "f1"}
    assert data["per_code"]["b"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
        "support": 2,
        "predicted": 1,
    }


def test_scores_agree_with_scikit_learn() -> None:
    from sklearn.metrics import f1_score, precision_score, recall_score
    from sklearn.preprocessing import MultiLabelBinarizer

    rng = random.Random(3)
    codes = ["a", "b", "c", "d"]
    gold = [{c for c in codes if rng.random() < 0.3} | {"a"} for _ in range(80)]
    predicted = [{c for c in codes if rng.random() < 0.4} for _ in range(80)]
    ours = Scores.compute(predicted, gold, codes)
    binarizer = MultiLabelBinarizer(classes=codes)
    y_true, y_pred = binarizer.fit_transform(gold), binarizer.transform(predicted)
    for average in ("micro", "macro"):
        expected = (
            precision_score(y_true, y_pred, average=average, zero_division=0),
            recall_score(y_true, y_pred, average=average, zero_division=0),
            f1_score(y_true, y_pred, average=average, zero_division=0),
        )
        got = (
            (ours.micro.precision, ours.micro.recall, ours.micro.f1)
            if average == "micro"
            else (ours.macro_precision, ours.macro_recall, ours.macro_f1)
        )
        assert got == pytest.approx(expected)


BOOK = Codebook(
    "test",
    "1.0.0",
    ("en",),
    (
        Code("sport", {"en": "Sport"}, indicators={"en": ("football",)}),
        Code("food", {"en": "Food"}, indicators={"en": ("pizza",)}),
        Code("never", {"en": "Never used"}),
    ),
)


def corpus(n: int = 90) -> tuple[list[str], list[set[str]]]:
    rng = random.Random(5)
    filler = [
        "the",
        "a",
        "we",
        "they",
        "went",
        "saw",
        "then",
        "later",
        "it",
        "was",
        "nice",
        "and",
        "so",
        "on",
        "there",
    ]
    texts, labels = [], []
    for _ in range(n):
        words = [rng.choice(filler) for _ in range(8)]
        codes: set[str] = set()
        if rng.random() < 0.4:
            words.insert(3, rng.choice(["football", "match", "goal"]))
            codes.add("sport")
        if rng.random() < 0.3:
            words.insert(1, rng.choice(["pizza", "pasta", "soup"]))
            codes.add("food")
        texts.append(" ".join(words))
        labels.append(codes)
    return texts, labels


def test_cross_validate_reports_model_next_to_indicators() -> None:
    texts, labels = corpus()
    report = cross_validate(texts, labels, BOOK, language="en", folds=3, seed=0)
    assert isinstance(report, EvaluationReport)
    data = report.to_dict()
    assert {"micro", "macro", "per_code", "indicators_only"} <= set(data)
    assert set(data["per_code"]) == {"sport", "food"}  # "never" has no support
    assert data["examples"] == 90 and data["folds"] == 3
    # indicators name one of three words per code; the model learns all three
    assert data["indicators_only"]["per_code"]["sport"]["recall"] < 0.6
    assert data["per_code"]["sport"]["f1"] > data["indicators_only"]["per_code"]["sport"]["f1"]
    assert data["macro"]["f1"] >= 0.9
    again = cross_validate(texts, labels, BOOK, language="en", folds=3, seed=0)
    assert again.to_dict() == data  # deterministic for a seed


def test_cross_validate_rejects_bad_input() -> None:
    texts, labels = corpus(10)
    with pytest.raises(CoderError, match="texts but"):
        cross_validate(texts, labels[:-1], BOOK)
    with pytest.raises(CoderError, match="not among the codebook"):
        cross_validate(texts, [{"nope"}] * 10, BOOK)
    with pytest.raises(CoderError, match="at least 20"):
        cross_validate(texts, labels, BOOK, folds=20)
