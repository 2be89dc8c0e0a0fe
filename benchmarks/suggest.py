"""Benchmark of code suggestions (issue 5); prints one JSON object to stdout.

Quality: cross-validated (5 folds, seed 0) micro and macro F1 on a public, human-coded,
multi-label dataset shipped in ``benchmarks/data/`` (a GoEmotions sample, see its README), for

- the fused suggester (classifier + the codebook's indicators, ``coder.suggest``),
- the indicators alone,
- the reference: TF-IDF (uni+bigrams, sublinear) + one logistic regression per label
  (scikit-learn defaults, threshold 0.5), and the same with ``class_weight="balanced"``,

all on the same folds and the same labels (those with at least ``MIN_SUPPORT`` examples).

Speed, on synthetic Norwegian interview turns built from the project's codebook:

- suggestions (with reasons) for 10,000 excerpts, against the bare spaCy tokenizer over the
  same texts (the ratio), and the latency of one ``suggest`` call;
- training on 2,000 coded excerpts (pipeline + threshold folds + final model; target < 60 s).

Progress goes to stderr. Usage::

    python benchmarks/suggest.py            # full run
    python benchmarks/suggest.py --small    # 1,000 excerpts to suggest, 300 to train on
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coder.domain.language import NORWEGIAN_FUNCTION_WORDS

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
ROOT = HERE.parent
SAMPLE = DATA / "goemotions_test_sample.txt"
CODEBOOK = DATA / "goemotions-codebook.yaml"
EMOTIONS = [
    "admiration",
    "amusement",
    "anger",
    "annoyance",
    "approval",
    "caring",
    "confusion",
    "curiosity",
    "desire",
    "disappointment",
    "disapproval",
    "disgust",
    "embarrassment",
    "excitement",
    "fear",
    "gratitude",
    "grief",
    "joy",
    "love",
    "nervousness",
    "optimism",
    "pride",
    "realization",
    "relief",
    "remorse",
    "sadness",
    "surprise",
    "neutral",
]
MIN_SUPPORT = 15
FOLDS = 5
TRAINING_TARGET_S = 60.0


def log(message: str) -> None:
    """Progress to stderr."""
    print(f"[suggest-bench] {message}", file=sys.stderr, flush=True)


def load_sample() -> tuple[list[str], list[set[str]]]:
    """The shipped GoEmotions rows: ``ids text`` per line, ids comma-separated."""
    texts, labels = [], []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        ids, text = line.split(" ", 1)
        texts.append(text)
        labels.append({EMOTIONS[int(i)] for i in ids.split(",")})
    return texts, labels


def summary(scores: Any) -> dict[str, float]:
    """Micro and macro P/R/F1 of a ``Scores``."""
    return {
        "micro_precision": round(scores.micro.precision, 4),
        "micro_recall": round(scores.micro.recall, 4),
        "micro_f1": round(scores.micro.f1, 4),
        "macro_precision": round(scores.macro_precision, 4),
        "macro_recall": round(scores.macro_recall, 4),
        "macro_f1": round(scores.macro_f1, 4),
    }


def baseline(
    texts: list[str], labels: list[set[str]], keep: list[str], folds: list[int], balanced: bool
) -> list[set[str]]:
    """TF-IDF + logistic regression per label, trained and predicted fold by fold."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    assignment = np.asarray(folds)
    y = np.array([[code in ls for code in keep] for ls in labels], dtype=int)
    predicted: list[set[str]] = [set() for _ in texts]
    for fold in sorted(set(folds)):
        train, test = np.flatnonzero(assignment != fold), np.flatnonzero(assignment == fold)
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        x_train = vectorizer.fit_transform([texts[i] for i in train])
        x_test = vectorizer.transform([texts[i] for i in test])
        for k, code in enumerate(keep):
            if y[train, k].min() == y[train, k].max():
                continue
            model = LogisticRegression(
                max_iter=1000, class_weight="balanced" if balanced else None
            ).fit(x_train, y[train, k])
            for i, flag in zip(test, model.predict(x_test), strict=True):
                if flag:
                    predicted[i].add(code)
    return predicted


def quality() -> dict[str, Any]:
    """Cross-validated scores of the suggester, the indicators and the baselines."""
    from coder.codebook import load_codebook
    from coder.suggest.analyser import Analyser
    from coder.suggest.evaluation import evaluate_examples
    from coder.suggest.model import Example, fold_of
    from coder.suggest.scoring import Scores

    texts, labels = load_sample()
    book = load_codebook(CODEBOOK)
    codes = [code.id for code in book.codable_codes]
    support = Counter(code for ls in labels for code in ls)
    keep = [code for code in codes if support[code] >= MIN_SUPPORT]
    log(f"quality: {len(texts)} texts, {len(keep)} labels with >= {MIN_SUPPORT} examples")
    started = time.perf_counter()
    analyser = Analyser(book, "en")
    examples = [
        Example(a, frozenset(ls), group=i)
        for i, (a, ls) in enumerate(zip(analyser.analyse_all(texts), labels, strict=True))
    ]
    report = evaluate_examples(examples, codes, analyser.matcher.codes, folds=FOLDS, seed=0)
    fused_seconds = time.perf_counter() - started
    fused = Scores.from_table({c: report.scores.per_code[c] for c in keep})
    indicators = Scores.from_table({c: report.indicators.per_code[c] for c in keep})
    folds = fold_of(examples, FOLDS, 0)
    started = time.perf_counter()
    plain = Scores.compute(baseline(texts, labels, keep, folds, False), labels, keep)
    baseline_seconds = time.perf_counter() - started
    balanced = Scores.compute(baseline(texts, labels, keep, folds, True), labels, keep)
    return {
        "dataset": {
            "name": "GoEmotions (Demszky et al., 2020), first rows of the test split",
            "file": str(SAMPLE.relative_to(ROOT)),
            "license": "Apache-2.0",
            "examples": len(texts),
            "labels_scored": keep,
            "min_support": MIN_SUPPORT,
        },
        "folds": FOLDS,
        "fused": summary(fused),
        "indicators_only": summary(indicators),
        "baseline_tfidf_lr": summary(plain),
        "baseline_tfidf_lr_balanced": summary(balanced),
        "per_label_f1": {
            code: {
                "fused": round(fused.per_code[code].f1, 4),
                "indicators": round(indicators.per_code[code].f1, 4),
                "baseline": round(plain.per_code[code].f1, 4),
                "baseline_balanced": round(balanced.per_code[code].f1, 4),
                "support": fused.per_code[code].support,
            }
            for code in keep
        },
        "seconds": {"fused_cv": round(fused_seconds, 2), "baseline_cv": round(baseline_seconds, 2)},
    }


FILLER = [
    *NORWEGIAN_FUNCTION_WORDS,
    "skolen",
    "klassen",
    "mamma",
    "pappa",
    "hjemme",
    "jobb",
    "dag",
    "uke",
    "året",
    "bussen",
    "byen",
    "egentlig",
    "kanskje",
    "aldri",
    "alltid",
    "tenkte",
    "sa",
    "gikk",
    "kom",
    "fikk",
    "gjorde",
]


def synthetic_turns(book: Any, n: int, seed: int) -> tuple[list[str], list[set[str]]]:
    """Participant turns of 40-160 words; each mentions 0-2 codes through their indicators."""
    rng = random.Random(seed)
    coded = [c for c in book.codable_codes if c.indicators.get("nb")]
    texts, labels = [], []
    for _ in range(n):
        words = [rng.choice(FILLER) for _ in range(rng.randint(40, 160))]
        chosen: set[str] = set()
        for code in rng.sample(coded, rng.choice((0, 1, 1, 2))):
            words.insert(rng.randrange(len(words)), rng.choice(code.indicators["nb"]))
            chosen.add(code.id)
        if chosen and rng.random() < 0.1:  # coders miss some
            chosen.pop()
        texts.append(" ".join(words).capitalize() + ".")
        labels.append(chosen)
    return texts, labels


def speed(n_suggest: int, n_train: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Suggestion throughput against the tokenizer, and training time."""
    import spacy

    from coder.codebook import load_codebook
    from coder.suggest.analyser import Analyser
    from coder.suggest.model import Example, SuggestModel
    from coder.suggest.suggester import Suggester

    book = load_codebook(ROOT / "codebooks" / "relational-robustness.yaml")
    codes = [code.id for code in book.codable_codes]
    train_texts, train_labels = synthetic_turns(book, n_train, seed=1)
    log(f"training on {n_train} coded excerpts")
    started = time.perf_counter()
    analyser = Analyser(book, "nb")
    analyses = analyser.analyse_all(train_texts)
    analysed = time.perf_counter()
    examples = [
        Example(a, frozenset(ls), group=i)
        for i, (a, ls) in enumerate(zip(analyses, train_labels, strict=True))
    ]
    model = SuggestModel.train(examples, codes, analyser.matcher.codes)
    trained = time.perf_counter()
    training = {
        "excerpts": n_train,
        "codes": len(codes),
        "modelled_codes": len(model.codes),
        "analyse_seconds": round(analysed - started, 3),
        "train_seconds": round(trained - analysed, 3),
        "total_seconds": round(trained - started, 3),
        "target_seconds": TRAINING_TARGET_S,
    }
    texts, _ = synthetic_turns(book, n_suggest, seed=2)
    log(f"suggesting for {n_suggest} excerpts")
    tokenizer = spacy.blank("nb").tokenizer
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in tokenizer.pipe(texts, batch_size=256))
    tokenizer_seconds = time.perf_counter() - started
    suggester = Suggester(book, "nb", model=model, analyser=analyser)
    started = time.perf_counter()
    made = 0
    for chunk in range(0, len(texts), 500):
        made += sum(len(found) for found in suggester.suggest_many(texts[chunk : chunk + 500]))
    suggest_seconds = time.perf_counter() - started
    latencies = []
    for text in texts[:200]:
        one = time.perf_counter()
        suggester.suggest(text)
        latencies.append((time.perf_counter() - one) * 1000)
    latencies.sort()
    suggestions = {
        "excerpts": n_suggest,
        "mean_chars": round(statistics.fmean(len(t) for t in texts), 1),
        "tokens": tokens,
        "suggestions_returned": made,
        "suggest_seconds": round(suggest_seconds, 3),
        "excerpts_per_s": round(n_suggest / suggest_seconds, 1),
        "tokenizer_seconds": round(tokenizer_seconds, 3),
        "tokenizer_excerpts_per_s": round(n_suggest / tokenizer_seconds, 1),
        "ratio_to_tokenizer": round(suggest_seconds / tokenizer_seconds, 2),
        "single_suggest_ms": {
            "p50": round(latencies[len(latencies) // 2], 2),
            "p95": round(latencies[int(len(latencies) * 0.95) - 1], 2),
        },
    }
    return suggestions, training


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="quick run (smoke test)")
    args = parser.parse_args(argv)
    import numpy
    import sklearn
    import spacy

    started = time.perf_counter()
    scores = quality()
    suggestions, training = speed(1_000, 300) if args.small else speed(10_000, 2_000)
    fused, plain = scores["fused"]["macro_f1"], scores["baseline_tfidf_lr"]["macro_f1"]
    result = {
        "benchmark": "suggest",
        "mode": "small" if args.small else "full",
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "numpy": numpy.__version__,
        "sklearn": sklearn.__version__,
        "quality": scores,
        "suggestions": suggestions,
        "training": training,
        "targets": {
            "fused_beats_baseline_macro_f1": fused > plain,
            "fused_beats_balanced_baseline_macro_f1": (
                fused > scores["baseline_tfidf_lr_balanced"]["macro_f1"]
            ),
            "training_under_60s": training["total_seconds"] < TRAINING_TARGET_S,
        },
        "seconds": round(time.perf_counter() - started, 2),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
