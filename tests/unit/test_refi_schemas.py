"""The shipped REFI-QDA schemas: present as package data, licensed, and strict."""

from __future__ import annotations

import pytest
from lxml import etree

from coder.refi.write.export import schema_file

GUID = "0000000c-0000-4000-8000-000000000001"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_file(name))))


def test_schemas_and_their_licence_ship_with_the_package() -> None:
    project, codebook = schema_file("Project.xsd"), schema_file("Codebook.xsd")
    licence = (project.parent / "LICENSE").read_text(encoding="utf-8")
    assert "MIT license" in licence and "Copyright 2019 REFI" in licence
    assert 'targetNamespace="urn:QDA-XML:project:1.0"' in project.read_text(encoding="utf-8")
    assert 'targetNamespace="urn:QDA-XML:codebook:1.0"' in codebook.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        (f'<Code guid="{GUID}" name="A" isCodable="true" color="#a1b2c3"/>', True),
        (f'<Code guid="{GUID}" name="A" isCodable="true" color="#abc"/>', True),
        (f'<Code guid="{GUID}" name="A" color="#a1b2c3"/>', False),  # isCodable is required
        (f'<Code guid="{GUID}" name="A" isCodable="true" color="red"/>', False),
        ('<Code guid="risk.ses" name="A" isCodable="true"/>', False),  # not a GUID
    ],
)
def test_the_codebook_schema_is_strict(code: str, valid: bool) -> None:
    document = f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{code}</Codes></CodeBook>'
    assert schema("Codebook.xsd").validate(etree.fromstring(document)) is valid


def test_the_project_schema_is_strict() -> None:
    good = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="P"><Sources>'
        f'<TextSource guid="{GUID}" plainTextPath="internal://x.txt">'
        f'<PlainTextSelection guid="{GUID}" startPosition="0" endPosition="4"/>'
        "</TextSource></Sources></Project>"
    )
    assert schema("Project.xsd").validate(etree.fromstring(good))
    wrong_order = good.replace("<Sources>", '<Notes><Note guid="' + GUID + '"/></Notes><Sources>')
    assert not schema("Project.xsd").validate(etree.fromstring(wrong_order))
    no_end = good.replace(' endPosition="4"', "")
    assert not schema("Project.xsd").validate(etree.fromstring(no_end))
