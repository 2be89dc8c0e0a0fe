"""The model as a measured coder: held-out predictions without leakage, kappa/AC1 with CIs,
and the verdict that withholds a code's suggestions."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import pytest

from coder.agreement.gwet import gwet_ac1
from coder.agreement.kappa import cohen_kappa
from coder.agreement.model_agreement import ModelAgreement, measure_model
from coder.domain.codebook import Code, Codebook
from coder.domain.language import NORWEGIAN_FUNCTION_WORDS
from coder.suggest.analyser import Analyser
from coder.suggest.evaluation import predict_sets
from coder.suggest.held_out import HeldOut, measure, withheld_codes
from coder.suggest.model import Example, SuggestModel
from coder.suggest.suggester import Suggester

BOOK = Codebook(
    "test",
    "1.0.0",
    ("nb",),
    (Code("sport", {"nb": "Idrett"}), Code("secret", {"nb": "Hemmelig"})),
)
SIGNAL = ("fotball", "håndball", "treningen")


def pairs(model: Sequence[int], human: Sequence[int]) -> list[tuple[set[str], set[str]]]:
    return [
        ({"a"} if m else set(), {"a"} if h else set()) for m, h in zip(model, human, strict=True)
    ]


def test_kappa_and_ac1_match_the_general_coefficients() -> None:
    rng = random.Random(3)
    model = [int(rng.random() < 0.4) for _ in range(60)]
    human = [m if rng.random() < 0.8 else 1 - m for m in model]
    result = measure_model(["a"], {"ada": pairs(model, human)}, folds=3, replicates=300)
    (row,) = result.rows
    data = np.array([model, human], dtype=float)  # coders x units
    assert row.kappa == pytest.approx(cohen_kappa(model, human).value, abs=1e-12)
    assert row.ac1 == pytest.approx(gwet_ac1(data).value, abs=1e-12)
    assert row.units == 60 and row.model_positives == sum(model)
    assert row.coder_positives == sum(human)
    assert row.kappa_low is not None and row.kappa_high is not None
    assert row.kappa_low <= row.kappa <= row.kappa_high
    assert row.better_than_chance and not result.withheld("a")


def test_identical_codes_give_kappa_one_and_a_degenerate_interval() -> None:
    model = [1, 0, 0, 1, 0, 1, 0, 0, 0, 1] * 3
    (row,) = measure_model(["a"], {"ada": pairs(model, model)}, folds=3, replicates=200).rows
    assert row.kappa == pytest.approx(1.0) and row.kappa_low == pytest.approx(1.0)


def test_chance_level_model_is_withheld_with_a_reason() -> None:
    rng = random.Random(5)
    model = [int(rng.random() < 0.3) for _ in range(40)]
    human = [int(rng.random() < 0.3) for _ in range(40)]  # independent of the model
    result = measure_model(["a"], {"ada": pairs(model, human)}, folds=3, replicates=500)
    (row,) = result.rows
    assert row.kappa_low is not None and row.kappa_low <= 0
    assert result.withheld("a")
    reason = result.reason("a")
    assert reason is not None and "no better than chance" in reason and "ada" in reason


def test_one_coder_above_chance_is_enough_and_undefined_is_not_measured() -> None:
    rng = random.Random(7)
    model = [int(rng.random() < 0.4) for _ in range(80)]
    noise = [int(rng.random() < 0.4) for _ in range(80)]
    held = {"ada": pairs(model, model), "bjørn": pairs(model, noise)}
    result = measure_model(["a"], held, folds=3, replicates=300)
    assert [row.coder for row in result.rows] == ["ada", "bjørn"]
    assert not result.withheld("a")
    empty = measure_model(["a"], {"ada": pairs([0] * 20, [0] * 20)}, folds=3, replicates=100)
    (row,) = empty.rows
    assert row.kappa is None and row.reason and not empty.withheld("a")


def test_round_trip_through_plain_data() -> None:
    model = [1, 0, 1, 1, 0, 0, 1, 0] * 4
    human = [1, 0, 0, 1, 0, 1, 1, 0] * 4
    result = measure_model(["a"], {"kari": pairs(model, human)}, folds=3, replicates=100)
    again = ModelAgreement.from_dict(result.to_dict())
    assert again == result
    assert result.to_dict()["unit"] == "held-out excerpt reviewed by the coder"


def texts_with_signal(n: int, seed: int) -> tuple[list[str], list[set[str]]]:
    """``sport`` iff a signal word occurs; ``secret`` at random, each excerpt has a unique word.

    A model that saw an excerpt can learn its unique word and so its ``secret`` label; a model
    that never saw it can only guess: the held-out measurement must find it at chance.
    """
    rng = random.Random(seed)
    words = [*NORWEGIAN_FUNCTION_WORDS, "hjemme", "bussen", "byen"]
    texts, labels = [], []
    for i in range(n):
        body = [rng.choice(words) for _ in range(rng.randint(6, 10))]
        codes: set[str] = set()
        if rng.random() < 0.4:
            body.insert(rng.randrange(len(body)), rng.choice(SIGNAL))
            codes.add("sport")
        if rng.random() < 0.4:
            codes.add("secret")
        body.append(f"ord{i}x{'qzv'[i % 3]}")  # unique to this excerpt
        texts.append(" ".join(body))
        labels.append(codes)
    return texts, labels


@pytest.fixture(scope="module")
def analysed() -> tuple[list[Example], list[str]]:
    analyser = Analyser(BOOK, "nb")
    texts, labels = texts_with_signal(150, seed=2)
    analyses = analyser.analyse_all(texts)
    examples, coders = [], []
    for i, (analysis, codes) in enumerate(zip(analyses, labels, strict=True)):
        for coder in ("ada", "bjørn"):  # two coders' copies of every excerpt
            examples.append(Example(analysis, frozenset(codes), group=i))
            coders.append(coder)
    return examples, coders


def test_held_out_models_never_saw_the_excerpts_they_predict(
    analysed: tuple[list[Example], list[str]],
) -> None:
    examples, _ = analysed
    seen: list[set[object]] = []

    def train(part: Sequence[Example]) -> SuggestModel:
        seen.append({ex.group for ex in part})
        return SuggestModel.train(part, ["sport", "secret"], ())

    held = HeldOut.compute(examples, ["sport", "secret"], (), folds=3, train=train)
    assert len(seen) == 3 and set(held.predicted) == set(range(150))
    for group, fold in held.fold.items():
        assert group not in seen[fold]  # the fold's model never trained on it
        assert all(group in seen[other] for other in range(3) if other != fold)


def test_measurement_finds_memorised_labels_at_chance(
    analysed: tuple[list[Example], list[str]],
) -> None:
    examples, coders = analysed
    codes = ["sport", "secret"]
    result = measure(examples, coders, codes, (), replicates=300)
    assert {row.coder for row in result.rows} == {"ada", "bjørn"}
    assert all(row.units == 150 for row in result.rows)
    assert not result.withheld("sport")  # a real signal: well above chance held out
    assert all(row.better_than_chance for row in result.for_code("sport"))
    assert result.withheld("secret")  # only memorisable: chance on unseen excerpts
    # ... whereas the model scored on its own training excerpts looks far better than chance
    model = SuggestModel.train(examples, codes, ())
    predicted = predict_sets(model, [ex.analysis for ex in examples[::2]], codes)
    in_sample = measure_model(
        codes,
        {"ada": [(p, ex.positives) for p, ex in zip(predicted, examples[::2], strict=True)]},
        folds=1,
        replicates=200,
    )
    (secret,) = in_sample.for_code("secret")
    assert secret.better_than_chance  # what a leaky measurement would have reported


def test_suggester_withholds_the_code_and_says_why(
    analysed: tuple[list[Example], list[str]],
) -> None:
    examples, coders = analysed
    codes = ["sport", "secret"]
    model = SuggestModel.train(examples, codes, ())
    model.meta["measured"] = measure(examples, coders, codes, (), replicates=300).to_dict()
    assert set(withheld_codes(model)) == {"secret"}
    suggester = Suggester(BOOK, "nb", model=model)
    texts = [
        "og så var det fotball hver dag ord3xq",
        *(f"jeg var hjemme ord{i}xq" for i in range(0, 150, 3)),
    ]
    explained = suggester.explain_many(texts)
    assert all("secret" not in {s.code_id for s in found} for found, _ in explained)
    assert "sport" in {s.code_id for s in explained[0][0]}
    unguarded = Suggester(BOOK, "nb", model=SuggestModel.train(examples, codes, ()))
    would = [
        {s.code_id for s in found if s.above_threshold} for found in unguarded.suggest_many(texts)
    ]
    withheld_somewhere = [i for i, (_, gone) in enumerate(explained) if gone]
    assert withheld_somewhere == [i for i, codes_ in enumerate(would) if "secret" in codes_]
    assert withheld_somewhere  # the trained model does suggest it on excerpts it memorised
    assert "no better than chance" in suggester.withheld["secret"]
