"""A codebook made from REFI-QDA codes and variables: valid YAML, sensible ids and levels."""

from __future__ import annotations

from coder.refi.description import DescriptionText
from coder.refi.document import RefiCase, RefiCode, RefiDocument, RefiVariable
from coder.refi.load.codebook_draft import CodebookDraft

G = "00000000-0000-4000-8000-{:012d}".format


def draft(doc: RefiDocument, coded: set[str] | None = None) -> tuple[CodebookDraft, list[str]]:
    warnings: list[str] = []
    made = CodebookDraft(doc, name="Study", language="en", coded=coded or set(), warnings=warnings)
    return made, warnings


def test_codes_from_another_tool_get_ids_from_their_names() -> None:
    codes = (
        RefiCode(G(1), "Family", True, "#ff0000", "", children=(
            RefiCode(G(2), "Money & poverty", True, None, ""),
            RefiCode(G(3), "Money & poverty", True, None, ""),
        )),
        RefiCode(G(4), "Group only", False, None, "A heading."),
    )  # fmt: skip
    made, warnings = draft(RefiDocument("project", "Study", "", codes=codes), coded={G(4)})
    book = made.check(made.yaml_text(), "study.qdpx")
    assert [(c.id, c.parent, c.codable) for c in book.codes] == [
        ("family", None, True),
        ("family.money_poverty", "family", True),
        ("family.money_poverty_2", "family", True),
        ("group_only", None, True),  # it has codings, so it became codable
    ]
    assert made.code_ids[G(3)] == "family.money_poverty_2"
    assert book.name == "Study" and book.languages == ("en",)
    assert any("is not codable (isCodable=false) but has codings" in w for w in warnings)


def test_a_duplicate_or_invalid_exported_id_falls_back_to_the_name() -> None:
    described = DescriptionText("", {"id": "a.b", "hotkey": "1"}).render()
    codes = (
        RefiCode(G(1), "First", True, None, described),
        RefiCode(G(2), "Second", True, None, described),  # the same id again
        RefiCode(G(3), "Third", True, None, DescriptionText("", {"id": "Not Valid"}).render()),
    )
    made, _ = draft(RefiDocument("project", "", "", codes=codes))
    book = made.check(made.yaml_text(), "x")
    assert [(c.id, c.hotkey) for c in book.codes] == [
        ("a.b", "1"),
        ("second", None),
        ("third", None),
    ]


def test_variables_become_attributes_with_levels_for_what_cases_hold() -> None:
    variables = (
        RefiVariable(G(1), "Age", "Integer", ""),
        RefiVariable(G(2), "Employed", "Boolean", ""),
        RefiVariable(G(3), "Status", "Text", ""),
        RefiVariable(G(4), "Robustness", "Text", DescriptionText("Levels:\n- a: A", {
            "id": "robust", "kind": "ordinal", "label": {"en": "Robustness"},
            "levels": [{"id": "steady", "label": {"en": "Steady"}}],
        }).render()),
        RefiVariable(G(5), "Robustness (ann)", "Text", DescriptionText("", {
            "rating": "robust", "coder": "ann",
        }).render()),
    )  # fmt: skip
    cases = (
        RefiCase(G(9), "P1", values=((G(1), "19"), (G(2), "1"), (G(4), "Steady"), (G(5), "shaky"))),
        RefiCase(G(8), "P2", values=((G(1), "unknown"), (G(2), "false"), (G(3), "in work"))),
    )
    made, warnings = draft(RefiDocument("project", "", "", variables=variables, cases=cases))
    book = made.check(made.yaml_text(), "x")
    assert [(a.id, a.kind, [lv.id for lv in a.levels]) for a in book.attributes] == [
        ("age", "interval", []),
        ("employed", "nominal", ["true", "false"]),
        ("status", "text", []),
        ("robust", "ordinal", ["steady", "shaky"]),  # a rated value that was no level
    ]
    planner = made.attributes
    assert planner.value(G(1), "19", "P1")[1] == "19"  # type: ignore[index]
    assert planner.value(G(1), "unknown", "P2") is None
    assert planner.value(G(2), "1", "P1")[1] == "true"  # type: ignore[index]
    assert planner.value(G(4), "Steady", "P1")[1] == "steady"  # by label  # type: ignore[index]
    plan, value = planner.value(G(5), "shaky", "P1")  # type: ignore[misc]
    assert (plan.attribute, plan.coder, value) == ("robust", "ann", "shaky")
    assert any("'unknown' is not a number" in w for w in warnings)
    assert any("added the level 'shaky'" in w for w in warnings)


def test_exported_codes_come_back_with_every_field() -> None:
    from coder.codebook import parse_codebook
    from coder.refi.description import code_text
    from coder.refi.write.codes_xml import code_data, codebook_data

    book = parse_codebook(
        "codebook: {name: B, version: 2.1, languages: [nb, en]}\n"
        "codes:\n"
        "  - {id: top, label: {nb: Topp, en: Top}, codable: false, color: '#AABBCC'}\n"
        "  - id: top.only_en\n"
        "    parent: top\n"
        "    label: {en: English only}\n"
        "    description: What it is.\n"
        "    use_when: When.\n"
        "    examples: [{quote: 'Hm.', source: 'Me (2024)'}]\n"
        "    indicators: {nb: [ord, to ord]}\n"
        "    patterns: [[{LOWER: ord}]]\n"
        "    hotkey: q\n"
    )

    def exported(code_id: str, first: bool) -> RefiCode:
        code = book.code(code_id)
        data = code_data(code, "nb")
        if first:
            data["codebook"] = codebook_data(book, "nb", attributes=True)
        text = DescriptionText(code_text(code), data).render()
        return RefiCode(G(len(code_id)), code.label_in("nb"), code.codable, code.color, text)

    child = exported("top.only_en", False)
    top = exported("top", True)
    doc = RefiDocument("codebook", "", "", codes=(RefiCode(top.guid, top.name, False, top.color,
                                                           top.description, children=(child,)),))  # fmt: skip
    made, _ = draft(doc)
    again = made.check(made.yaml_text(), "x")
    assert (again.name, again.version, again.languages) == ("B", "2.1", ("nb", "en"))
    assert again.codes == book.codes  # ids, labels (en only stays en only), every field
