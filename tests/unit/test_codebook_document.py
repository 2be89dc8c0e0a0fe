"""Round-trip codebook editing keeps what people wrote; ``diff`` names what changed."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from coder.codebook import diff, parse_codebook
from coder.codebook.codebook_file import CodebookConflictError, CodebookFile
from coder.codebook.document import CodebookDocument, bumped

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "codebooks" / "relational-robustness.yaml"

SMALL = """\
# A hand-written codebook: this comment stays.
codebook:
  name: Liten
  version: "2.3"
  languages: [nb, en]
codes:
# ---- the first group
- id: skole
  label: {nb: Skole, en: School}
  codable: false

- id: skole.fravaer   # a trailing comment
  parent: skole
  label: {nb: Fravær, en: Absence}
  description: |
    Literal text
    over two lines.
  hotkey: "1"

# ---- the second group
- id: hjem
  label: {nb: Hjem, en: Home}
  patterns:
  - [{LOWER: på}, {LOWER: {IN: [hjem]}}]
  hotkey: "2"
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@pytest.mark.parametrize("path", [SHIPPED, REPO / "benchmarks/data/goemotions-codebook.yaml"])
def test_untouched_file_round_trips_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert CodebookDocument(text).text() == text


def test_small_file_round_trips_with_its_own_indentation() -> None:
    assert CodebookDocument(SMALL).text() == SMALL


def test_added_code_lands_after_its_family_and_keeps_the_section_comment_below_it() -> None:
    document = CodebookDocument(SMALL)
    document.add_code(
        "skole.mobbing",
        {"nb": "Mobbing på skolen", "en": "Bullying"},
        parent="skole",
        description="x " * 60,
        hotkey="3",
    )
    text = document.text()
    lines = changed_lines(SMALL, text)
    assert all(line.startswith("+") for line in lines), lines  # nothing else changed
    assert text.index("- id: skole.mobbing") > text.index("- id: skole.fravaer")
    assert text.index("- id: skole.mobbing") < text.index("# ---- the second group")
    assert "label: {nb: Mobbing på skolen, en: Bullying}" in text
    assert "description: >-" in text  # a long new text is a folded block scalar
    book = parse_codebook(text)
    assert book.code("skole.mobbing").parent == "skole"
    assert book.code("skole.mobbing").hotkey == "3"


def test_edits_keep_comments_styles_and_other_keys() -> None:
    document = CodebookDocument(SMALL)
    document.set_prose("skole.fravaer", "description", "New literal\nagain.", None)
    document.set_label("hjem", "en", "At home")
    document.set_key("hjem", "parent", "skole")
    document.retire("skole.fravaer", merged_into="hjem")
    assert document.bump_version("minor") == "2.4"
    text = document.text()
    assert "# A hand-written codebook: this comment stays." in text
    assert "# a trailing comment" in text
    assert 'version: "2.4"' in text  # the quotes stay
    assert "description: |\n    New literal\n    again." in text
    assert "[{LOWER: på}, {LOWER: {IN: [hjem]}}]" in text  # spaCy patterns keep braces
    book = parse_codebook(text)
    assert book.code("hjem").label["en"] == "At home"
    assert book.code("hjem").parent == "skole"
    retired = book.code("skole.fravaer")
    assert retired.retired and retired.merged_into == "hjem" and retired.hotkey is None
    assert retired not in book.active_codes
    assert book.by_hotkey("1") is None
    # the blank line and section comment after the retired code stayed where they were
    assert "retired: true\n  merged_into: hjem\n\n# ---- the second group" in text


def test_version_bumps() -> None:
    assert bumped("1.0.0", "minor") == "1.1.0"
    assert bumped("1.4.2", "patch") == "1.4.3"
    assert bumped("1", "major") == "2"
    assert bumped("2.3", "patch") == "2.3.1"
    assert bumped("2024-v3", "minor") == "2024-v4"
    assert bumped("spring", "patch") == "spring.1"


def test_merge_target_must_exist() -> None:
    from coder.errors import CodebookError

    text = SMALL.replace('  hotkey: "2"\n', "  merged_into: nowhere\n")
    with pytest.raises(CodebookError, match="unknown code 'nowhere'"):
        parse_codebook(text)


def test_file_write_is_refused_when_the_file_changed_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "book.yaml"
    path.write_text(SMALL, encoding="utf-8")
    path.chmod(0o640)
    read = CodebookFile.read(path)
    path.write_text(SMALL + "# edited by hand\n", encoding="utf-8")
    with pytest.raises(CodebookConflictError, match="changed on disk"):
        read.write(SMALL.replace("Liten", "Stor"))
    assert path.read_text(encoding="utf-8").endswith("# edited by hand\n")  # not overwritten
    fresh = CodebookFile.read(path).write(SMALL.replace("Liten", "Stor"))
    assert "Stor" in path.read_text(encoding="utf-8")
    assert fresh.sha == CodebookFile.read(path).sha
    assert path.stat().st_mode & 0o777 == 0o640  # permissions kept
    assert [p.name for p in tmp_path.iterdir()] == ["book.yaml"]  # no temporary left


def test_diff_lists_every_kind_of_change() -> None:
    old = parse_codebook(SMALL)
    document = CodebookDocument(SMALL)
    document.add_code("ny", {"nb": "Ny"})
    document.set_label("hjem", "nb", "Heim")
    document.set_key("hjem", "parent", "skole")
    document.set_prose("hjem", "use_when", "Når hjemmet nevnes.", "nb")
    document.retire("skole.fravaer", merged_into="hjem")
    document.bump_version("major")
    new = parse_codebook(document.text())
    result = diff(old, new)
    assert (result.old_version, result.new_version) == ("2.3", "3.0")
    assert result.added == ("ny",)
    assert result.removed == ()
    assert [(r.code, r.before["nb"], r.after["nb"]) for r in result.renamed] == [
        ("hjem", "Hjem", "Heim")
    ]
    assert [(m.code, m.before, m.after) for m in result.moved] == [("hjem", None, "skole")]
    assert [(m.code, m.into) for m in result.merged] == [("skole.fravaer", ("hjem",))]
    assert [(d.code, d.field, d.language, d.after) for d in result.definitions] == [
        ("hjem", "use_when", "nb", "Når hjemmet nevnes.")
    ]
    data = result.to_dict()
    assert data["merged"] == [{"code": "skole.fravaer", "into": ["hjem"]}]
    assert "  merged: skole.fravaer into hjem" in result.lines()
    assert diff(new, new).empty
    removed = diff(new, old)
    assert removed.removed == ("ny",)
    assert removed.unretired == ("skole.fravaer",)
