"""Stata's 80-character variable labels keep the code's own name and stay unique (13.12)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coder.export.label_fit import ELLIPSIS, PATH_SEPARATOR, fit_label, fit_labels
from coder.project.project import Project
from coder.store.importer import import_transcript
from coder.store.operations import apply_code, mark_reviewed
from coder.store.queries import load_excerpts
from support.backends import Backend

pytestmark = pytest.mark.backends  # each test on SQLite and PostgreSQL

Cli = Callable[..., tuple[int, str, str]]

TOP = "Organisering av oppfølgingen på tvers av tjenester og forvaltningsnivåer"
MIDDLE = "Kommunikasjon og samarbeid mellom skole, NAV og barnevern"
CODEBOOK = f"""\
codebook:
  name: Lange stier
  version: 1.0.0
  languages: [nb, en]
codes:
  - id: org
    label: {{nb: "{TOP}", en: Organisation}}
    codable: false
  - id: org.komm
    parent: org
    label: {{nb: "{MIDDLE}", en: Communication}}
    codable: false
  - id: org.komm.rel
    parent: org.komm
    label: {{nb: Relasjonelle forhold, en: Relational conditions}}
  - id: org.komm.system
    parent: org.komm
    label: {{nb: Møtet med systemet, en: The encounter with the system}}
  - id: org.komm2
    parent: org
    label: {{nb: "{MIDDLE} i praksis", en: In practice}}
    codable: false
  - id: org.komm2.rel
    parent: org.komm2
    label: {{nb: Relasjonelle forhold, en: Relational conditions}}
  - id: lang
    label: {{nb: "{"Et navn som alene er lengre enn åtti tegn, " * 3}", en: Long}}
"""
"""Paths far over 80 characters; two codes named alike whose paths differ only near the end."""


@pytest.fixture
def folder(tmp_path: Path, backend: Backend) -> Path:
    book = tmp_path / "bok.yaml"
    book.write_text(CODEBOOK, encoding="utf-8")
    root = tmp_path / "p"
    backend.init(root, codebook=book)
    transcript = root / "transcripts" / "t.txt"
    transcript.parent.mkdir(exist_ok=True)
    transcript.write_text("Intervjuer: Hei.\n\nDeltaker: Ja.\n", encoding="utf-8")
    with Project.open(root) as project:
        import_transcript(project, transcript, case_id="ung01")
        answer = load_excerpts(project, "t")[1]
        apply_code(project, "åse", answer.id, "org.komm.rel")
        mark_reviewed(project, "åse", answer.id)
    return root


@pytest.mark.parametrize("table", ["wide", "cases"])
def test_stata_labels_keep_the_code_name_and_are_unique(
    folder: Path, coder_cli: Cli, tmp_path: Path, table: str
) -> None:
    import pyreadstat

    out = tmp_path / f"{table}.dta"
    code, _, err = coder_cli(
        "--project", folder, "export", "stata", "-o", out, "--table", table, "--coder", "åse"
    )
    assert code == 0, err
    _, meta = pyreadstat.read_dta(out)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert all(len(label) <= 80 for label in labels.values() if label)
    code_labels = [label for label in labels.values() if label and "Relasjonelle" in label]
    assert code_labels and all(label.endswith("Relasjonelle forhold") for label in code_labels)
    assert any(label.endswith("Møtet med systemet") for label in labels.values() if label)
    filled = [label for label in labels.values() if label]
    assert len(filled) == len(set(filled)), filled
    # The start of the path (after a prefix such as "Antall utdrag:") survives, marked as cut.
    assert all(
        label.partition(": ")[2 if table == "cases" else 0].startswith("Organisering")
        for label in code_labels
    )
    assert all(ELLIPSIS in label for label in code_labels)


def test_the_two_like_named_codes_differ_even_when_the_cut_makes_them_alike() -> None:
    first = f"{TOP} > {MIDDLE} > Relasjonelle forhold"
    second = f"{TOP} > {MIDDLE} i praksis > Relasjonelle forhold"
    fitted = fit_labels([first, second], 80)
    assert fitted[0] != fitted[1]
    assert all(label.endswith(" > Relasjonelle forhold") for label in fitted)
    assert fitted[0].startswith("Organisering av oppfølgingen")
    assert fitted[1].startswith("Organisering av") and "barnevern i praksis > " in fitted[1]
    assert all(len(label) <= 80 for label in fitted)
    # Only when even the middle cut repeats a label is it numbered.
    alike = [f"A{'x' * 40}{n}{'x' * 40} > {'y' * 30} > Navn" for n in (1, 2, 3)]
    numbered = fit_labels(alike, 40)
    assert numbered[0].endswith("… > Navn") and numbered[1].endswith("y > Navn")
    assert numbered[2].endswith(" > Navn (2)") and len(set(numbered)) == 3


def test_a_name_longer_than_the_limit_keeps_its_start() -> None:
    name = "Et navn som alene er lengre enn åtti tegn, " * 3
    assert fit_label(f"Topp > {name}", 80) == name[:79].rstrip() + ELLIPSIS


def test_byte_limits_count_utf8() -> None:
    label = "Æøå " * 30 + " > Møtet med systemet"
    fitted = fit_label(label, 60, bytes_=True)
    assert len(fitted.encode("utf-8")) <= 60 and fitted.endswith(" > Møtet med systemet")


PARTS = st.text(alphabet="abæøå XYZ", min_size=1, max_size=40)


@given(
    paths=st.lists(st.lists(PARTS, min_size=1, max_size=4), min_size=1, max_size=8, unique_by=str),
    limit=st.integers(min_value=10, max_value=90),
)
def test_fitted_labels_are_short_unique_and_keep_short_names(
    paths: list[list[str]], limit: int
) -> None:
    labels = list(dict.fromkeys(PATH_SEPARATOR.join(parts) for parts in paths))
    fitted = fit_labels(labels, limit)
    assert all(len(label) <= limit for label in fitted)
    assert len(set(fitted)) == len(fitted)
    for label, short in zip(labels, fitted, strict=True):
        own = label.rpartition(PATH_SEPARATOR)[2]
        if len(label) <= limit:
            assert short == label
        elif len(own) + 12 <= limit:  # room for the name, a cut head, a number
            assert own in short
