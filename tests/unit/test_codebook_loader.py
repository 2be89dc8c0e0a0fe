"""Codebook YAML validation: every error class names file, line and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from coder.codebook import load_codebook, parse_codebook
from coder.errors import CodebookError

VALID = """\
codebook:
  name: Test
  version: 1.0.0
  languages: [nb, en]
codes:
  - id: group
    label: {nb: Gruppe, en: Group}
    codable: false
  - id: group.a
    parent: group
    label: {nb: Æ-kode, en: A code}
    description: What it means.
    use_when: When it fits.
    dont_use_when: Use group.b instead.
    examples:
      - quote: "Det var mye mobbing."
        source: Olsen et al. (2009)
    indicators:
      nb: [mobbing, ensomhet, fraværende voksne]
      en: [bullying, loneliness, absent adults]
    color: "#d95f02"
    hotkey: "1"
  - id: group.b
    parent: group
    label: {nb: B, en: B}
    hotkey: "2"
attributes:
  - id: robustness
    label: {nb: Robusthet, en: Robustness}
    kind: ordinal
    levels:
      - {id: steady, label: {nb: Stødig, en: Steady}, definition: Good relations.}
      - {id: wavering, label: {nb: Vaklende, en: Wavering}}
  - id: age
    label: {en: Age}
    kind: interval
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "book.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    lines = [str(p) for p in info.value.problems]
    assert all(line.startswith(str(path)) for line in lines), lines
    return lines


def test_valid_codebook_loads_into_domain(tmp_path: Path) -> None:
    book = load_codebook(write(tmp_path, VALID))
    assert [code.id for code in book.codes] == ["group", "group.a", "group.b"]
    code = book.code("group.a")
    assert code.label_in("nb") == "Æ-kode"
    assert code.indicators["nb"] == ("mobbing", "ensomhet", "fraværende voksne")
    assert code.examples[0].source == "Olsen et al. (2009)"
    assert code.hotkey == "1" and code.color == "#d95f02"
    assert [c.id for c in book.codable_codes] == ["group.a", "group.b"]
    assert book.path("group.a", "en") == "Group > A code"
    spec = book.attribute("robustness")
    assert spec.kind == "ordinal" and [lv.id for lv in spec.levels] == ["steady", "wavering"]
    assert spec.rank("wavering") == 2
    assert book.by_hotkey("2") is book.code("group.b")


def test_duplicate_id_names_line_and_field(tmp_path: Path) -> None:
    text = VALID.replace("  - id: group.b\n", "  - id: group.a\n")
    found = problems(tmp_path, text)
    assert any(":23: codes[2] (group.a).id: duplicate id 'group.a'" in line for line in found), (
        found
    )


def test_unknown_parent(tmp_path: Path) -> None:
    text = VALID.replace(
        "    parent: group\n    label: {nb: B", "    parent: gruop\n    label: {nb: B"
    )
    found = problems(tmp_path, text)
    assert any(
        ":24: codes[2] (group.b).parent: unknown parent 'gruop'" in line for line in found
    ), found


def test_cycle(tmp_path: Path) -> None:
    text = """\
    codebook: {name: T, languages: [en]}
    codes:
      - id: a
        parent: b
        label: {en: A}
      - id: b
        parent: a
        label: {en: B}
    """
    found = problems(tmp_path, text)
    assert any(
        ":4: codes[0] (a).parent: cycle in the code tree: a -> b -> a" in line for line in found
    ), found


def test_duplicate_hotkey(tmp_path: Path) -> None:
    text = VALID.replace('hotkey: "2"', 'hotkey: "1"')
    found = problems(tmp_path, text)
    assert any(":26: codes[2] (group.b).hotkey: duplicate hotkey '1'" in line for line in found), (
        found
    )


def test_invalid_colour(tmp_path: Path) -> None:
    text = VALID.replace('color: "#d95f02"', "color: orange")
    found = problems(tmp_path, text)
    assert any(
        ":21: codes[1] (group.a).color: invalid colour 'orange'" in line for line in found
    ), found


def test_ordinal_without_levels(tmp_path: Path) -> None:
    text = VALID.replace("    kind: interval\n", "    kind: ordinal\n")
    found = problems(tmp_path, text)
    assert any(
        ":36: attributes[1] (age).kind: an ordinal attribute needs levels" in line for line in found
    ), found


def test_unknown_key_is_not_ignored(tmp_path: Path) -> None:
    text = VALID.replace("    use_when: When it fits.\n", "    use_wehn: When it fits.\n")
    found = problems(tmp_path, text)
    assert any(
        ":13: codes[1] (group.a).use_wehn: unknown key 'use_wehn'" in line for line in found
    ), found


def test_wrong_type(tmp_path: Path) -> None:
    text = VALID.replace("    codable: false\n", "    codable: [no]\n")
    found = problems(tmp_path, text)
    assert any(
        ":8: codes[0] (group).codable: Input should be a valid boolean" in line for line in found
    ), found


def test_missing_required_key(tmp_path: Path) -> None:
    text = VALID.replace("    label: {nb: B, en: B}\n", "")
    found = problems(tmp_path, text)
    assert any(
        "codes[2] (group.b).label: required key 'label' is missing" in line for line in found
    ), found


def test_all_problems_are_listed_together(tmp_path: Path) -> None:
    text = VALID.replace('color: "#d95f02"', "color: red").replace('hotkey: "2"', 'hotkey: "1"')
    found = problems(tmp_path, text)
    assert len(found) == 2


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    found = problems(tmp_path, "codebook:\n  name: [unclosed\ncodes: []\n")
    assert any("invalid YAML" in line for line in found)
    assert found[0].split(":")[1].isdigit()


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    found = problems(
        tmp_path, VALID.replace("    codable: false\n", "    codable: false\n    codable: true\n")
    )
    assert any(":9:" in line and "duplicate key 'codable'" in line for line in found), found


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "book.yaml"
    path.write_bytes("codebook:\n  name: Bjørn\n".encode("cp1252"))
    with pytest.raises(CodebookError, match="not UTF-8"):
        load_codebook(path)


def test_missing_file_is_a_coder_error(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="cannot read"):
        load_codebook(tmp_path / "nope.yaml")


def test_label_language_must_be_declared(tmp_path: Path) -> None:
    found = problems(tmp_path, VALID.replace("{nb: B, en: B}", "{nb: B, de: B}"))
    assert any("label.de: language 'de' is not in codebook.languages" in line for line in found), (
        found
    )


def test_parse_codebook_accepts_text() -> None:
    assert parse_codebook(VALID, "inline.yaml").name == "Test"


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(CodebookError, match="alias"):
        parse_codebook("codebook: &a\n  name: x\n  self: *a\n", "x.yaml")


def test_hotkey_reserved_by_the_coding_screen(tmp_path: Path) -> None:
    found = problems(tmp_path, VALID.replace('hotkey: "2"', 'hotkey: "j"'))
    assert any(
        ":26: codes[2] (group.b).hotkey: hotkey 'j' is taken by the coding screen" in line
        and "coding.next" in line
        for line in found
    ), found


SHIPPED = Path(__file__).resolve().parents[2] / "codebooks" / "relational-robustness.yaml"


def broken_shipped(tmp_path: Path, find: str, replace: str) -> tuple[Path, int]:
    """The shipped codebook with one mistake; returns the file and the mistake's line."""
    text = SHIPPED.read_text(encoding="utf-8")
    assert find in text
    line = text[: text.index(find)].count("\n") + 1
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    return path, line


@pytest.mark.parametrize(
    ("find", "replace"),
    [
        ('    color: "#e6550d"', '    color: "#e6550d'),  # a quote left open
        (
            "    label: {nb: Lav sosioøkonomisk status,",
            "    label: {nb: [Lav sosioøkonomisk status,",
        ),
        ("  - id: risk.family\n", "  - id: risk.family\n   parent: risk\n"),  # bad indentation
    ],
)
def test_yaml_syntax_error_names_the_line_of_the_mistake(
    tmp_path: Path, find: str, replace: str
) -> None:
    path, line = broken_shipped(tmp_path, find, replace)
    with pytest.raises(CodebookError) as failed:
        load_codebook(path)
    first = str(failed.value).splitlines()[1].strip()
    wanted = line + 1 if find.endswith("\n") else line
    assert first.startswith(f"{path}:{wanted}: invalid YAML"), first


def test_prose_per_language_or_plain(tmp_path: Path) -> None:
    text = VALID.replace(
        "    description: What it means.\n",
        "    description:\n      nb: Hva den betyr.\n      en: What it means.\n",
    )
    book = load_codebook(write(tmp_path, text))
    code = book.code("group.a")
    assert code.description == "Hva den betyr."  # the codebook's first language
    assert code.text_in("description", "en") == "What it means."
    assert code.text_in("description", "nb") == "Hva den betyr."
    assert code.text_in("use_when", "nb") == "When it fits."  # a plain string serves every language
    found = problems(tmp_path, text.replace("      en: What it means.", "      de: Was."))
    assert any("description.de: language 'de' is not in codebook.languages" in p for p in found)


def test_shipped_codebook_prose_is_in_bokmaal_and_english() -> None:
    book = load_codebook(SHIPPED)
    for code in book.codable_codes:
        for name in ("description", "use_when", "dont_use_when"):
            texts = code.texts.get(name, {})
            assert set(texts) == {"nb", "en"}, (code.id, name)
            assert texts["nb"] != texts["en"]
    robustness = book.attribute("relational_robustness")
    assert robustness.description_in("nb").startswith("Den unges relasjonelle robusthet")
    for level in robustness.levels:
        assert set(level.definitions) == {"nb", "en"}, level.id
    assert robustness.level("steady").definition_in("nb").startswith("Gode, trygge relasjoner")  # type: ignore[union-attr]
