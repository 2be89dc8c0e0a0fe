"""Load and validate a codebook YAML file into a domain ``Codebook``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coder.codebook.located_yaml import LocatedYaml, parse_located
from coder.domain.codebook import PROSE_FIELDS, AttributeSpec, Code, Codebook, Example, Level
from coder.domain.keys import RESERVED_HOTKEYS, coding_keys
from coder.domain.limits import LimitExceededError, Limits
from coder.errors import CodebookError, Problem


def load_codebook(path: str | Path, limits: Limits | None = None) -> Codebook:
    """Read ``path``; raise ``CodebookError`` listing every problem with file, line and field."""
    file = str(path)
    limits = limits or Limits()
    try:
        _check(limits, "codebook_mb", Path(path).stat().st_size, file)
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CodebookError(
            [Problem(file, None, "", f"cannot read: {exc.strerror or exc}")]
        ) from None
    return parse_codebook(raw, file, limits)


def _check(limits: Limits, name: str, actual: int, file: str) -> None:
    """A limit check whose refusal is a CodebookError naming the file."""
    try:
        limits.check(name, actual, "the codebook")
    except LimitExceededError as exc:
        raise CodebookError([Problem(file, None, "", str(exc))]) from None


def parse_codebook(
    raw: bytes | str, file: str = "<codebook>", limits: Limits | None = None
) -> Codebook:
    """Validate codebook text; ``file`` is used in messages only."""
    limits = limits or Limits()
    if isinstance(raw, bytes):
        _check(limits, "codebook_mb", len(raw), file)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise CodebookError(
                [Problem(file, line, "", f"not UTF-8 (byte {exc.start}); save the file as UTF-8")]
            ) from None
    else:
        text = raw
    _check(limits, "codebook_mb", len(text), file)
    parsed = parse_located(text, file, max_nodes=limits.codebook_nodes)
    if isinstance(parsed, Problem):
        raise CodebookError([parsed])
    if not isinstance(parsed.data, dict):
        raise CodebookError(
            [Problem(file, 1, "", "expected a mapping with 'codebook', 'codes' and 'attributes'")]
        )
    return _validate(parsed, file)


def _validate(parsed: LocatedYaml, file: str) -> Codebook:
    from pydantic import ValidationError

    from coder.codebook.schema import CodebookModel

    problems = []
    model = None
    try:
        model = CodebookModel.model_validate(parsed.data)
    except ValidationError as exc:
        problems = [_pydantic_problem(err, parsed, file) for err in exc.errors()]
    problems.extend(_check_tree(parsed, file))
    if problems or model is None:
        problems.sort(key=lambda p: (p.line or 0, p.field))
        raise CodebookError(problems)
    return _to_domain(model, file)


def _field_name(loc: tuple[str | int, ...], data: Any) -> str:
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(part, int):
            label = f"[{part}]"
            try:
                node = node[part]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label = f"[{part}] ({node['id']})"
            except (IndexError, KeyError, TypeError):
                node = None
            parts.append(label)
        else:
            node = node.get(part) if isinstance(node, dict) else None
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


def _clean_loc(raw: tuple[Any, ...], data: Any, kind: str) -> tuple[str | int, ...]:
    """Keep the parts of a pydantic location that exist in the data (drop union tags)."""
    kept: list[str | int] = []
    node = data
    for part in raw:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
        else:
            if kind == "missing" and isinstance(part, str) and part == raw[-1]:
                kept.append(part)
            break
        kept.append(part)
    return tuple(kept)


def _pydantic_problem(err: Any, parsed: LocatedYaml, file: str) -> Problem:
    kind = str(err["type"])
    loc = _clean_loc(tuple(err["loc"]), parsed.data, kind)
    message = str(err["msg"])
    if not loc and kind in ("extra_forbidden", "missing"):
        kind = ""
    if kind == "extra_forbidden":
        message = f"unknown key '{loc[-1]}' (check the spelling)"
    elif kind == "missing":
        message = f"required key '{loc[-1]}' is missing"
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    elif "input" in err and kind.endswith("_type"):
        message = f"{message} (got {type(err['input']).__name__} {err['input']!r:.60})"
    return Problem(file, parsed.line_of(loc), _field_name(loc, parsed.data), message)


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """The list under ``key`` as (index, mapping) pairs, skipping malformed entries."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]


def _text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else None


def _check_tree(parsed: LocatedYaml, file: str) -> list[Problem]:
    """Cross-field rules pydantic cannot see: ids, parents, cycles, hotkeys, levels."""
    problems: list[Problem] = []
    data = parsed.data

    def add(loc: tuple[str | int, ...], message: str) -> None:
        problems.append(Problem(file, parsed.line_of(loc), _field_name(loc, data), message))

    meta = data.get("codebook") if isinstance(data, dict) else None
    languages = meta.get("languages") if isinstance(meta, dict) else None
    languages = (
        [lang for lang in languages if isinstance(lang, str)] if isinstance(languages, list) else []
    )
    if len(set(languages)) != len(languages):
        add(("codebook", "languages"), "a language is listed twice")
    codes = _items(data, "codes")
    first_index: dict[str, int] = {}
    parents: dict[str, str | None] = {}
    for index, code in codes:
        code_id = _text(code, "id")
        if code_id is None:
            continue
        if code_id in first_index:
            add(
                ("codes", index, "id"),
                f"duplicate id '{code_id}' (first at codes[{first_index[code_id]}])",
            )
            continue
        first_index[code_id] = index
        parents[code_id] = _text(code, "parent")
    for index, code in codes:
        code_id, parent = _text(code, "id"), _text(code, "parent")
        if parent is None or code_id is None:
            continue
        if parent not in parents:
            add(("codes", index, "parent"), f"unknown parent '{parent}'")
        elif parent == code_id:
            add(("codes", index, "parent"), f"code '{code_id}' is its own parent")
    for index, code in codes:
        targets = [_text(code, "merged_into")]
        split = code.get("split_into")
        targets += [_text({"t": t}, "t") for t in split] if isinstance(split, list) else []
        for target in targets:
            if target is None:
                continue
            key = "merged_into" if target == _text(code, "merged_into") else "split_into"
            if target not in parents:
                add(("codes", index, key), f"unknown code '{target}'")
            elif target == _text(code, "id"):
                add(("codes", index, key), "a code cannot be merged or split into itself")
    reported: set[str] = set()
    for index, code in codes:
        code_id = _text(code, "id")
        if code_id is None or code_id in reported or first_index.get(code_id) != index:
            continue
        chain = [code_id]
        current = parents.get(code_id)
        while current is not None and current in parents and current not in chain:
            chain.append(current)
            current = parents.get(current)
        if current == code_id and len(chain) > 1:
            reported.update(chain)
            add(
                ("codes", index, "parent"),
                "cycle in the code tree: " + " -> ".join([*chain, code_id]),
            )
    owner: dict[str, str] = {}
    for index, code in codes:
        hotkey, code_id = _text(code, "hotkey"), _text(code, "id") or f"codes[{index}]"
        if hotkey is None:
            continue
        if hotkey in owner:
            add(
                ("codes", index, "hotkey"),
                f"duplicate hotkey '{hotkey}': also used by '{owner[hotkey]}'",
            )
        else:
            owner[hotkey] = code_id
        if code.get("codable") is False:
            add(("codes", index, "hotkey"), "a group heading (codable: false) cannot have a hotkey")
        if hotkey in RESERVED_HOTKEYS:
            spec = coding_keys()[hotkey]
            add(
                ("codes", index, "hotkey"),
                f"hotkey '{hotkey}' is taken by the coding screen ({spec.description}, "
                f"binding {spec.id}); choose another key",
            )
    for index, code in codes:
        for key in ("label", "indicators", *PROSE_FIELDS):
            value = code.get(key)
            if not isinstance(value, dict) or not languages:
                continue
            for lang in value:
                if lang not in languages:
                    add(
                        ("codes", index, key, lang),
                        f"language '{lang}' is not in codebook.languages",
                    )
    attribute_ids: set[str] = set()
    for index, attr in _items(data, "attributes"):
        attr_id, kind = _text(attr, "id"), attr.get("kind")
        if attr_id is not None:
            if attr_id in attribute_ids:
                add(("attributes", index, "id"), f"duplicate attribute id '{attr_id}'")
            attribute_ids.add(attr_id)
        levels = attr.get("levels")
        has_levels = isinstance(levels, list) and len(levels) > 0
        if kind in ("nominal", "ordinal") and not has_levels:
            add(
                ("attributes", index, "levels" if "levels" in attr else "kind"),
                f"{'an' if kind == 'ordinal' else 'a'} {kind} attribute needs levels",
            )
        if kind in ("interval", "text") and has_levels:
            add(("attributes", index, "levels"), f"an {kind} attribute cannot have levels")
        seen_levels: set[str] = set()
        for level_index, level in _items(attr, "levels"):
            level_id = _text(level, "id")
            if level_id is not None and level_id in seen_levels:
                add(
                    ("attributes", index, "levels", level_index, "id"),
                    f"duplicate level id '{level_id}'",
                )
            if level_id is not None:
                seen_levels.add(level_id)
    return problems


def _prose(value: str | dict[str, str], languages: list[str]) -> tuple[str, dict[str, str]]:
    """(default-language text, per-language texts) of a plain or per-language prose field."""
    if isinstance(value, str):
        return value, {}
    default = next((value[lang] for lang in languages if lang in value), None)
    return (default if default is not None else next(iter(value.values()), "")), dict(value)


def _in_order(labels: dict[str, str], languages: list[str]) -> dict[str, str]:
    """Labels in codebook.languages order: a label missing in the language asked for falls
    back to the codebook's first language that has one (``label_in`` takes the first)."""
    rank = {lang: index for index, lang in enumerate(languages)}
    return dict(sorted(labels.items(), key=lambda item: rank.get(item[0], len(rank))))


def _to_domain(model: Any, file: str) -> Codebook:
    languages = list(model.codebook.languages)
    by_parent: dict[str | None, list[Any]] = {}
    for code in model.codes:
        by_parent.setdefault(code.parent, []).append(code)
    ordered: list[Code] = []

    def visit(parent: str | None) -> None:
        for code in by_parent.get(parent, []):
            prose = {name: _prose(getattr(code, name), languages) for name in PROSE_FIELDS}
            ordered.append(
                Code(
                    id=code.id,
                    label=_in_order(code.label, languages),
                    parent=code.parent,
                    codable=code.codable,
                    description=prose["description"][0],
                    use_when=prose["use_when"][0],
                    dont_use_when=prose["dont_use_when"][0],
                    texts={name: texts for name, (_, texts) in prose.items() if texts},
                    examples=tuple(Example(ex.quote, ex.source) for ex in code.examples),
                    indicators={lang: tuple(words) for lang, words in code.indicators.items()},
                    patterns=tuple(code.patterns),
                    color=code.color,
                    hotkey=code.hotkey,
                    retired=code.retired or code.merged_into is not None or bool(code.split_into),
                    merged_into=code.merged_into,
                    split_into=tuple(code.split_into),
                )
            )
            visit(code.id)

    visit(None)
    attributes = tuple(
        AttributeSpec(
            id=attr.id,
            label=_in_order(attr.label, languages),
            kind=attr.kind,
            levels=tuple(
                Level(lv.id, _in_order(lv.label, languages), *_prose(lv.definition, languages))
                for lv in attr.levels
            ),
            description=_prose(attr.description, languages)[0],
            descriptions=_prose(attr.description, languages)[1],
        )
        for attr in model.attributes
    )
    meta = model.codebook
    return Codebook(
        name=meta.name,
        version=meta.version,
        languages=tuple(meta.languages),
        codes=tuple(ordered),
        attributes=attributes,
        source=file,
    )
