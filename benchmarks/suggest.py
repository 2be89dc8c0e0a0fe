"""Benchmark of code suggestions (issue 5); prints one JSON object to stdout.

Quality (``suggest_quality.py``): on a public, human-coded, multi-label dataset shipped in
``benchmarks/data/`` (a GoEmotions sample, see its README), coder's suggester against an honest
baseline (TF-IDF + class-balanced logistic regression with per-code thresholds tuned inside the
same cross-validation), macro and micro F1 with learning curves after 50, 100, 200 and 500
coded excerpts; the target is the baseline + 0.10 macro F1.

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


def quality(small: bool) -> dict[str, Any]:
    """Honest-baseline comparison and learning curves on each shipped dataset."""
    from coder.codebook import load_codebook
    from suggest_quality import CURVE, evaluate_dataset

    texts, labels = load_sample()
    log(f"quality: GoEmotions sample, {len(texts)} texts")
    sizes = (50, 200) if small else CURVE
    scores = evaluate_dataset(texts, labels, load_codebook(CODEBOOK), "en", sizes=sizes)
    goemotions = {
        "name": "GoEmotions (Demszky et al., 2020), first rows of the test split",
        "language": "en",
        "file": str(SAMPLE.relative_to(ROOT)),
        "license": "Apache-2.0",
        "coded_by": "human raters (labels at least two raters chose)",
        **scores,
    }
    return {
        "datasets": {"goemotions": goemotions},
        "not_found": (
            "no second human-coded multi-label text dataset (and none non-English) is shipped "
            "inside a PyPI, npm or Debian package reachable here; see benchmarks/README.md"
        ),
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
    scores = quality(args.small)
    suggestions, training = speed(1_000, 300) if args.small else speed(10_000, 2_000)
    go = scores["datasets"]["goemotions"]["targets"]
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
            "goemotions_baseline_plus_0.10_macro_f1": go["meets_margin_full_training"],
            "goemotions_lead_at_50_to_200": go["leads_at_50_to_200"],
            "training_under_60s": training["total_seconds"] < TRAINING_TARGET_S,
        },
        "seconds": round(time.perf_counter() - started, 2),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
