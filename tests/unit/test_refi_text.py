"""REFI-QDA descriptions, ids and names: the pure helpers of the REFI export and import."""

from __future__ import annotations

import re
import uuid

from hypothesis import given
from hypothesis import strategies as st

from coder.domain.codebook import Code, Example
from coder.refi.description import CodeSections, DescriptionText, code_text
from coder.refi.load.codebook_draft import colour
from coder.refi.load.names import coder_name, plain_id, slug, unique
from coder.refi.write.ids import RefiIds
from coder.store.coders import NAME_RE

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_guids_are_uuid5_of_the_project_namespace_and_stable() -> None:
    ids = RefiIds.for_project("Demo")
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "urn:coder:project:Demo")
    assert ids.code("risk.ses") == str(uuid.uuid5(namespace, "code:risk.ses"))
    assert RefiIds.for_project("Demo").code("risk.ses") == ids.code("risk.ses")
    assert RefiIds.for_project("Other").code("risk.ses") != ids.code("risk.ses")
    made = {
        ids.code("a"),
        ids.user("a"),
        ids.source("a"),
        ids.case("a"),
        ids.variable("a"),
        ids.rating("a", "b"),
        ids.selection("a", 0, 5, "anna"),
        ids.selection("a", 0, 6, "anna"),
        ids.selection("a", 0, 5, "bjørn"),
        ids.coding("a", 0, 5, "anna", "x"),
        ids.note(1),
        ids.link(1),
    }
    assert len(made) == 12  # kinds never collide
    assert all(GUID.match(guid) for guid in made)


def test_description_data_line_round_trips_and_tolerates_damage() -> None:
    text = DescriptionText("What it means.\n\nMore.", {"id": "a.b", "label": {"en": "Æ"}})
    rendered = text.render()
    assert rendered.endswith('coder-data: {"id":"a.b","label":{"en":"Æ"}}')
    assert DescriptionText.parse(rendered) == text
    assert DescriptionText.parse(rendered.replace("\n", "\r\n")) == text
    assert DescriptionText.parse("plain text") == DescriptionText("plain text")
    assert DescriptionText.parse("x\n\ncoder-data: {broken") == DescriptionText(
        "x\n\ncoder-data: {broken"
    )
    assert DescriptionText.parse("coder-data: [1]").data is None
    assert DescriptionText.parse(None) == DescriptionText("")


def test_code_sections_round_trip_through_the_description_text() -> None:
    code = Code(
        id="a",
        label={"en": "A"},
        description="First paragraph.\n\nSecond paragraph.",
        use_when="When it fits.",
        dont_use_when="When it does not; use b.",
        examples=(
            Example('He said "no" — twice', "Olsen et al. (2009)"),
            Example("Line one\nline two", "Interview 3"),
        ),
    )
    sections = CodeSections.parse(code_text(code))
    assert sections.description == code.description
    assert sections.use_when == code.use_when
    assert sections.dont_use_when == code.dont_use_when
    assert sections.examples == code.examples
    assert CodeSections.parse("Just a description from NVivo.").description == (
        "Just a description from NVivo."
    )


_line = (
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\n\r"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(lambda s: s and not s.startswith(("-", "Use when", "Don't", "Examples")))
)


@given(description=_line, use_when=_line, quote=_line, source=_line)
def test_code_sections_parse_what_code_text_writes(
    description: str, use_when: str, quote: str, source: str
) -> None:
    source = source.replace(" — ", " - ")
    code = Code(
        id="a",
        label={"en": "A"},
        description=description,
        use_when=use_when,
        examples=(Example(quote, source),),
    )
    sections = CodeSections.parse(code_text(code))
    assert (sections.description, sections.use_when) == (description, use_when)
    assert sections.examples == (Example(quote.strip(), source.strip()),)


def test_colours_drop_alpha_and_widen_short_forms() -> None:
    assert colour("#D95F02") == "#D95F02"
    assert colour("#d95f02ff") == "#d95f02"  # RRGGBBAA (MAXQDA, ATLAS.ti)
    assert colour("d95f02") == "#d95f02"
    assert colour("#abc") == "#aabbcc"
    assert colour("red") is None
    assert colour(None) is None


def test_slugs_unique_names_and_ids() -> None:
    assert slug("Lav sosioøkonomisk status", "x") == "lav_sosiookonomisk_status"
    assert slug("Ærlig talt – på skolen!", "x") == "aerlig_talt_pa_skolen"
    assert slug("???", "code") == "code"
    assert unique("a", {"a", "a_2"}) == "a_3"
    assert len(unique("x" * 100, {"x" * 100})) == 100
    for name in ("Dr. Smith (PI)", "  ", "анна", "a/b\\c", "x" * 80, "-dash"):
        assert NAME_RE.match(coder_name(name, "imported")), name
    assert coder_name("Dr. Smith (PI)", "f") == "Dr. Smith PI"
    assert coder_name("a/b", "f") == "a b"
    assert coder_name("!!!", "fallback") == "fallback"
    assert plain_id("Interview 1.docx", "s", strip_suffix=True) == "Interview 1"
    assert plain_id("intervju.2", "s", strip_suffix=True) == "intervju.2"
    assert plain_id("a/b\\c\x00", "s") == "a_b_c_"


def test_code_text_in_the_project_language() -> None:
    code = Code(
        "a",
        {"nb": "A", "en": "A"},
        description="Hva den betyr.",
        use_when="Brukes når.",
        texts={
            "description": {"nb": "Hva den betyr.", "en": "What it means."},
            "use_when": {"nb": "Brukes når.", "en": "Apply when."},
        },
    )
    english = CodeSections.parse(code_text(code, "en"))
    assert (english.description, english.use_when) == ("What it means.", "Apply when.")
    bokmaal = CodeSections.parse(code_text(code, "nb"))
    assert (bokmaal.description, bokmaal.use_when) == ("Hva den betyr.", "Brukes når.")
