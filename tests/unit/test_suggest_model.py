"""The learned model: a separable code and its threshold, fallbacks, fusion, saving and loading."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from coder.domain.codebook import Code, Codebook
from coder.domain.language import NORWEGIAN_FUNCTION_WORDS
from coder.errors import CoderError
from coder.suggest.analyser import Analyser
from coder.suggest.evaluation import predict_sets
from coder.suggest.model import Example, SuggestModel, label_matrices
from coder.suggest.model_folder import ModelFolder
from coder.suggest.scoring import THRESHOLD_GRID, tune_fusion
from coder.suggest.suggester import Suggester

FILLER = [
    *NORWEGIAN_FUNCTION_WORDS,
    "hjemme",
    "dag",
    "uke",
    "året",
    "bussen",
    "byen",
]
SIGNAL = ("fotball", "håndball", "treningen")
BOOK = Codebook(
    "test",
    "3.1.0",
    ("nb",),
    (
        Code("sport", {"nb": "Idrett"}),
        Code("rare", {"nb": "Sjelden"}, indicators={"nb": ("sjelden",)}),
    ),
)


def make_texts(n: int, seed: int) -> tuple[list[str], list[set[str]]]:
    """Filler sentences; ``sport`` iff a signal word is in the text; ``rare`` three times."""
    rng = random.Random(seed)
    texts, labels = [], []
    for i in range(n):
        words = [rng.choice(FILLER) for _ in range(rng.randint(6, 12))]
        codes: set[str] = set()
        if rng.random() < 0.4:
            words.insert(rng.randrange(len(words)), rng.choice(SIGNAL))
            codes.add("sport")
        if i in (3, 50, 90):
            words.append("sjelden")
            codes.add("rare")
        texts.append(" ".join(words))
        labels.append(codes)
    return texts, labels


@pytest.fixture(scope="module")
def analyser() -> Analyser:
    return Analyser(BOOK, "nb")


@pytest.fixture(scope="module")
def trained(analyser: Analyser) -> SuggestModel:
    texts, labels = make_texts(300, seed=1)
    examples = [
        Example(a, frozenset(ls), group=i)
        for i, (a, ls) in enumerate(zip(analyser.analyse_all(texts), labels, strict=True))
    ]
    return SuggestModel.train(examples, ["sport", "rare"], analyser.matcher.codes)


def test_classifier_learns_a_separable_code_and_its_threshold(
    analyser: Analyser, trained: SuggestModel
) -> None:
    assert trained.codes == ("sport",)
    threshold = trained.thresholds["sport"]
    assert threshold in THRESHOLD_GRID
    texts, labels = make_texts(150, seed=99)  # unseen texts
    analyses = analyser.analyse_all(texts)
    _, fused = trained.fused(analyses)
    gold = np.array(["sport" in ls for ls in labels])
    assert gold.sum() > 30
    assert fused[gold, 0].min() >= threshold > fused[~gold, 0].max()
    predicted = predict_sets(trained, analyses, ["sport"])
    assert [("sport" in p) for p in predicted] == gold.tolist()
    scores = trained.meta["scores"]["per_code"]["sport"]
    assert scores["f1"] >= 0.95  # out-of-fold, on the training data


def test_rare_code_falls_back_to_indicators(analyser: Analyser, trained: SuggestModel) -> None:
    assert trained.meta["indicator_only_codes"] == ["rare"]
    assert trained.meta["positives"] == {"sport": trained.meta["positives"]["sport"], "rare": 3}
    suggester = Suggester(BOOK, "nb", model=trained, analyser=analyser)
    found = {s.code_id: s for s in suggester.suggest("det var sjelden fotball")}
    assert found["rare"].sources == ("indicators",) and found["rare"].model_score is None
    assert found["sport"].sources == ("model",) and found["sport"].above_threshold
    assert any(r.source == "model" and r.text == "fotball" for r in found["sport"].reasons)


def test_saved_and_loaded_model_gives_identical_scores(
    tmp_path: Path, analyser: Analyser, trained: SuggestModel
) -> None:
    folder = ModelFolder(tmp_path).save(trained)
    assert sorted(p.name for p in folder.iterdir()) == ["model.json", "weights.npz"]
    assert (folder / "model.json").stat().st_mode & 0o777 == 0o600
    assert folder.parent.stat().st_mode & 0o777 == 0o700
    with np.load(folder / "weights.npz", allow_pickle=False) as arrays:  # no pickle inside
        assert set(arrays.files) == {"weights", "bias"}
    loaded = ModelFolder(tmp_path).load()
    assert loaded is not None
    texts, _ = make_texts(60, seed=7)
    analyses = analyser.analyse_all(texts)
    before, after = trained.fused(analyses), loaded.fused(analyses)
    assert np.array_equal(before[0], after[0]) and np.array_equal(before[1], after[1])
    assert loaded.thresholds == trained.thresholds
    assert loaded.indicator_weights == trained.indicator_weights
    meta = json.loads((folder / "model.json").read_text("utf-8"))
    assert meta["format"] == "coder.suggest.model/1" and meta["examples"] == 300


def test_damaged_model_is_refused(tmp_path: Path, trained: SuggestModel) -> None:
    folder = ModelFolder(tmp_path).save(trained)
    (folder / "weights.npz").write_bytes(b"not the weights")
    with pytest.raises(CoderError, match="does not match"):
        ModelFolder(tmp_path).load()


def test_model_folder_keeps_the_newest(tmp_path: Path, trained: SuggestModel) -> None:
    models = ModelFolder(tmp_path, keep=2)
    assert models.current() is None and models.load() is None
    saved = [models.save(trained) for _ in range(3)]
    assert models.current() == saved[-1]
    assert sorted(p.name for p in models.path.iterdir() if p.is_dir()) == [
        s.name for s in saved[1:]
    ]


def test_label_matrices_unknown_and_hard_negatives(analyser: Analyser) -> None:
    [a] = analyser.analyse_all(["x"])
    examples = [
        Example(a, frozenset({"sport"})),  # reviewed: everything known
        Example(a, frozenset({"sport"}), known=frozenset({"sport"})),  # coded, not reviewed
        Example(a, frozenset(), known=frozenset({"rare"}), hard_negatives=frozenset({"rare"})),
    ]
    labels, mask = label_matrices(examples, ["sport", "rare"], hard_weight=2.0)
    assert labels.tolist() == [[1, 0], [1, 0], [0, 0]]
    assert mask.tolist() == [[1, 1], [1, 0], [0, 2]]


def test_fusion_weight_follows_which_source_is_right() -> None:
    rng = np.random.default_rng(0)
    y = rng.random((200, 2)) < 0.3
    noise = rng.random((200, 2))
    indicator = np.where(y, 0.5, 0.0)
    indicator[:, 1] = np.where(rng.random(200) < 0.5, 0.5, 0.0)  # useless indicators in column 1
    probs = np.column_stack([noise[:, 0] * 0.3, np.where(y[:, 1], 0.8, 0.1)])
    weights, thresholds = tune_fusion(probs, indicator, y.astype(float), np.ones((200, 2)))
    assert weights[0] > 0  # model useless, indicators perfect: indicators carry the code
    assert weights[1] == 0.0  # model perfect: the noisy indicators are ignored
    assert 0.1 < thresholds[1] <= 0.8


def test_empty_text_gets_no_suggestion() -> None:
    from coder.codebook import load_codebook
    from coder.suggest.suggester import Suggester

    book = load_codebook(
        Path(__file__).resolve().parents[2] / "codebooks" / "relational-robustness.yaml"
    )
    suggester = Suggester(book, "nb")
    assert suggester.suggest_many(["", "   \n"]) == [[], []]
    assert suggester.suggest("Jeg ble mobbet hele tiden og var veldig ensom.")
