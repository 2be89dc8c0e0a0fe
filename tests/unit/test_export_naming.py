"""Column naming: valid in SPSS, Stata and R, unique, ASCII, stable (hypothesis for any ids)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pyreadstat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coder.export.naming import (
    MAX_LENGTH,
    ColumnNamer,
    column_names,
    is_reserved,
    is_valid_name,
    label_set_room,
    transliterate,
)

NORWEGIAN = "æøåÆØÅ"
ids = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("abcdefghijklmnopqrstuvwxyz0123456789._- " + NORWEGIAN)),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=80,
)


def test_norwegian_letters_are_transliterated_the_norwegian_way() -> None:
    assert transliterate("Bjørn Ærlig på Åsen") == "Bjoern Aerlig paa Aasen"
    assert transliterate("crème brûlée, Müller, straße") == "creme brulee, Mueller, strasse"
    assert column_names(["bjørn", "Tøft_på_skolen", "æøå"]) == [
        "bjoern",
        "toeft_paa_skolen",
        "aeoeaa",
    ]


def test_examples() -> None:
    assert column_names(["risk.psychosocial.bullying"]) == ["risk_psychosocial_bullying"]
    assert column_names(["in", "long", "STR12", "with", "NA", "if"]) == [
        "v_in",
        "v_long",
        "v_str12",
        "v_with",
        "v_na",
        "v_if",
    ]
    assert column_names(["2.gang", "", "___", "-x-"]) == ["v_2_gang", "v", "v_2", "x"]
    assert column_names(["a.b", "a_b", "A-B"]) == ["a_b", "a_b_2", "a_b_3"]


def test_long_ids_keep_their_start_and_a_stable_hash() -> None:
    first = "familie.stoette.fra.soesken.og.besteforeldre.over.tid"
    second = "familie.stoette.fra.soesken.og.besteforeldre.i.perioder"
    a, b = column_names([first, second])
    assert a != b and len(a) <= MAX_LENGTH and len(b) <= MAX_LENGTH
    assert a.startswith("familie_stoette_fra") and b.startswith("familie_stoette_fra")
    # the same id gets the same name whatever else is exported, and in either order
    assert column_names(["other", second, "x", first])[3] == a
    assert column_names([second, first]) == [b, a]


def test_limits_leave_room_for_stata_value_label_sets() -> None:
    assert label_set_room(1) == 31 and label_set_room(10) == 31 and label_set_room(11) == 30
    assert label_set_room(101) == 29
    name = column_names(["x" * 40], [label_set_room(101)])[0]
    assert len(name) == 29 and is_valid_name(name)


def test_is_valid_name_rejects_what_statistics_packages_reject() -> None:
    for bad in ("", "_x", "x_", "1x", "in", "str5", "Long", "æ", "a b", "a.b", "x" * 33):
        assert not is_valid_name(bad), bad
    assert is_reserved("BY") and is_reserved("strL") and not is_reserved("strength")


@settings(max_examples=300, deadline=None)
@given(st.lists(ids, max_size=30))
def test_any_ids_give_unique_valid_names(raws: list[str]) -> None:
    names = column_names(raws)
    assert len(names) == len(raws)
    for name in names:
        assert is_valid_name(name), name
        assert name.isascii() and len(name) <= MAX_LENGTH
    assert len({name.lower() for name in names}) == len(names)
    assert column_names(raws) == names  # deterministic


@settings(max_examples=100, deadline=None)
@given(st.lists(ids, max_size=15), st.lists(st.integers(8, 40), max_size=15))
def test_limits_are_respected(raws: list[str], caps: list[int]) -> None:
    limits = (caps + [32] * len(raws))[: len(raws)]
    names = column_names(raws, limits)
    for name, limit in zip(names, limits, strict=True):
        assert is_valid_name(name) and len(name) <= max(8, min(limit, 32))
    assert len(set(names)) == len(names)


def test_a_namer_respects_names_already_taken() -> None:
    namer = ColumnNamer(taken=["case", "CODER"])
    assert namer.name("case") == "case_2"
    assert namer.name("coder") == "coder_2"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ids, min_size=1, max_size=12))
def test_real_writers_accept_the_names(raws: list[str]) -> None:
    """pyreadstat (SPSS and Stata rules) writes and reads back every name, with value labels."""
    names = column_names(raws, [label_set_room(len(raws))] * len(raws))
    frame = pd.DataFrame({name: pd.array([0, 1], dtype="Int32") for name in names})
    labels = {name: {0: "Nei", 1: "Ja"} for name in names}
    with tempfile.TemporaryDirectory() as folder:
        for writer, reader, suffix in (
            (pyreadstat.write_sav, pyreadstat.read_sav, ".sav"),
            (pyreadstat.write_dta, pyreadstat.read_dta, ".dta"),
        ):
            path = Path(folder) / f"names{suffix}"
            writer(frame, path, variable_value_labels=labels)
            read, meta = reader(path)
            assert list(read.columns) == names
            assert set(meta.variable_value_labels) == set(names)
