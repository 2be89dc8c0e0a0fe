"""``coder team``: hand-out (blind), join, return and merge (issue 16, points 1-3 and 5)."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coder.errors import CoderError
from coder.project.project import Project
from coder.store.history import undo
from coder.store.operations import apply_code, mark_reviewed, remove_code, set_rating
from coder.store.queries import find_codings, load_excerpts
from coder.team.handout import handout
from coder.team.join import join
from coder.team.merge import MergeRefused, merge_returns
from coder.team.pack_file import PackFile
from coder.team.team_return import write_return
from support.lead_projects import CODE, OTHER
from support.team_projects import (
    codable,
    copy_for,
    lead_project,
    return_and_merge,
    some_work,
)
from support.team_rows import all_coders, coder_rows


def members(path: Path) -> dict[str, bytes]:
    return PackFile.read(path).members


def test_a_handout_holds_the_project_and_nothing_of_another_coder(tmp_path: Path) -> None:
    lead = lead_project(tmp_path / "lead")
    pack = tmp_path / "ada.coderpack"
    result = handout(lead, "ada", pack)
    assert (result.transcripts, result.excerpts) == (2, 20)
    assert stat.S_IMODE(pack.stat().st_mode) == 0o600
    content = members(pack)
    assert {"files/coder.toml", f"files/{lead.settings.codebook}"} <= content.keys()
    blob = b"".join(content.values())
    assert b"bo sitt notat" not in blob
    assert b'"bo"' not in blob and b"bo-" not in blob
    for table in ("codings", "reviews", "memos", "ratings", "positions", "events"):
        assert json.loads(content[f"work/{table}.json"]) == []
    transcripts = json.loads(content["tables/transcripts.json"])
    assert {t["id"] for t in transcripts} == {"t1", "t2"}
    assert len(json.loads(content["tables/excerpts.json"])) == 20
    assert {c["id"] for c in json.loads(content["tables/cases.json"])} == {"c1", "c2"}


def test_joining_gives_the_coder_a_working_project_as_themselves(tmp_path: Path) -> None:
    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "ada", tmp_path)
    assert copy.codebook.codes == lead.codebook.codes
    assert copy.codebook.attributes == lead.codebook.attributes
    for transcript in ("t1", "t2"):
        assert load_excerpts(copy, transcript) == load_excerpts(lead, transcript)
    rows = all_coders(copy)  # blind: only the coder's own (empty) work, no one else's name
    assert list(rows) == ["ada"] and not any(rows["ada"].values())
    assert apply_code(copy, "ada", codable(copy)[0], CODE)
    local = json.loads((copy.root / ".coder" / "local.json").read_text(encoding="utf-8"))
    assert local == {"coder": "ada"}
    assert stat.S_IMODE((copy.root / ".coder" / "team.json").stat().st_mode) == 0o600


def test_a_coder_handed_out_again_gets_their_own_work_back(tmp_path: Path) -> None:
    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "bo", tmp_path / "first")
    assert coder_rows(copy, "bo") == coder_rows(lead, "bo")
    assert undo(copy, "bo") is not None  # bo's own history came along
    assert coder_rows(copy, "bo")["ratings"] == []


def test_join_refuses_a_folder_in_use_and_leaves_nothing_on_failure(tmp_path: Path) -> None:
    lead = lead_project(tmp_path / "lead")
    pack = tmp_path / "ada.coderpack"
    handout(lead, "ada", pack)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "mine.txt").write_text("x")
    with pytest.raises(CoderError, match="not an empty folder"):
        join(pack, busy)
    data = bytearray(pack.read_bytes())
    data[-10] ^= 0xFF
    pack.write_bytes(bytes(data))
    with pytest.raises(CoderError, match="damaged"):
        join(pack, tmp_path / "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ada.coderpack", "busy", "lead"]


def test_a_return_holds_exactly_the_coders_work_and_merges_with_a_summary(tmp_path: Path) -> None:
    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "ada", tmp_path)
    some_work(copy, "ada")
    path = tmp_path / "ada-return.coderpack"
    result = write_return(copy, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert result.counts["codings"] == 3 and result.counts["events"] == 6
    content = members(path)
    assert not any(name.startswith("tables/") for name in content)
    blob = b"".join(content.values())
    assert b"Deltaker: Det var" not in blob  # no transcript text
    assert b"bo sitt" not in blob
    before_bo = coder_rows(lead, "bo")
    merged = merge_returns(lead, [path])
    assert [m.coder for m in merged] == ["ada"]
    assert merged[0].totals() == {"added": 6, "changed": 0, "removed": 0, "unchanged": 0}
    assert merged[0].change.tables["events"].added == 6
    assert coder_rows(lead, "ada") == coder_rows(copy, "ada")
    assert coder_rows(lead, "bo") == before_bo
    spans = [c for c in find_codings(lead, coder="ada") if c.span is not None]
    assert len(spans) == 1
    versions = {row[-1] for row in coder_rows(lead, "ada")["codings"]}
    assert versions == {lead.codebook.version}  # the codebook version each was made under


def test_undo_keeps_working_after_a_merge(tmp_path: Path) -> None:
    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "ada", tmp_path)
    some_work(copy, "ada")
    return_and_merge(copy, lead, tmp_path)
    for _ in range(5):  # three codes, the memo, the rating (the reviewed mark is not a step)
        in_lead, in_copy = undo(lead, "ada"), undo(copy, "ada")
        assert in_lead is not None and in_copy is not None
        assert (in_lead.kind, in_lead.lost) == (in_copy.kind, False)
        assert coder_rows(lead, "ada")["codings"] == coder_rows(copy, "ada")["codings"]
        assert coder_rows(lead, "ada")["memos"] == coder_rows(copy, "ada")["memos"]
    assert all(coder_rows(lead, "ada")[t] == [] for t in ("codings", "memos", "ratings"))


def test_merging_twice_changes_nothing(tmp_path: Path) -> None:
    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "ada", tmp_path)
    some_work(copy, "ada")
    return_and_merge(copy, lead, tmp_path)
    before = all_coders(lead)
    again = merge_returns(lead, [tmp_path / "return.coderpack"])
    assert again[0].totals() == {"added": 0, "changed": 0, "removed": 0, "unchanged": 6}
    assert again[0].change.tables["events"].added == 0
    assert all_coders(lead) == before


def test_a_second_return_after_removals_and_undos_leaves_the_coders_own_state(
    tmp_path: Path,
) -> None:
    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "ada", tmp_path)
    some_work(copy, "ada")
    return_and_merge(copy, lead, tmp_path, "first.coderpack")
    ids = codable(copy)
    assert remove_code(copy, "ada", ids[1], CODE)
    apply_code(copy, "ada", ids[5], CODE)
    undo(copy, "ada")  # takes the new code back
    undo(copy, "ada")  # and the removal: CODE is on ids[1] again
    undo(copy, "ada")  # and the rating
    mark_reviewed(copy, "ada", ids[4], reviewed=False)
    merged = return_and_merge(copy, lead, tmp_path, "second.coderpack")
    assert coder_rows(lead, "ada") == coder_rows(copy, "ada")
    totals = merged[0].totals()
    assert totals["removed"] == 2  # the rating and the reviewed mark
    assert merged[0].change.tables["events"].added == 6


def test_returns_of_two_coders_merge_in_either_order_to_the_same_rows(tmp_path: Path) -> None:
    leads = [lead_project(tmp_path / f"lead{n}") for n in (1, 2)]
    copies = {c: copy_for(leads[0], c, tmp_path / "copies") for c in ("ada", "cato")}
    some_work(copies["ada"], "ada")
    apply_code(copies["cato"], "cato", codable(copies["cato"])[1], OTHER)
    set_rating(copies["cato"], "cato", "c2", "relational_robustness", "steady")
    paths = {c: tmp_path / f"{c}.coderpack" for c in copies}
    for coder, copy in copies.items():
        write_return(copy, paths[coder])
    merge_returns(leads[0], [paths["ada"], paths["cato"]])
    merge_returns(leads[1], [paths["cato"]])
    merge_returns(leads[1], [paths["ada"]])
    first, second = all_coders(leads[0]), all_coders(leads[1])
    assert first["ada"] == second["ada"] and first["cato"] == second["cato"]
    assert all_coders(leads[0])["cato"] == coder_rows(copies["cato"], "cato")


def _refused(lead: Project, paths: list[Path]) -> MergeRefused:
    before = all_coders(lead)
    with pytest.raises(MergeRefused) as caught:
        merge_returns(lead, paths)
    assert all_coders(lead) == before
    return caught.value


def test_a_changed_transcript_or_an_unknown_code_stops_the_merge_with_a_list(
    tmp_path: Path, write_transcript: object
) -> None:
    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "ada", tmp_path)
    some_work(copy, "ada")
    path = tmp_path / "ada.coderpack"
    write_return(copy, path)
    other = lead_project(tmp_path / "other")  # the same ids, but t1 re-imported with other text
    from coder.store.importer import import_transcript

    t1 = other.root / "transcripts" / "t1.txt"
    t1.write_text(t1.read_text(encoding="utf-8").replace("vanskelig", "fint"), encoding="utf-8")
    import_transcript(other, t1, case_id="c1", replace=True)
    problem = _refused(other, [path])
    assert any("transcript 't1': its text differs" in p for p in problem.problems)
    assert "nothing was written" in str(problem)
    # a code the lead's codebook lacks
    codebook = lead.root / lead.settings.codebook
    text = codebook.read_text(encoding="utf-8")
    assert f"id: {OTHER}\n" in text
    smaller = lead_project(tmp_path / "smaller")
    smaller.close()
    target = smaller.root / smaller.settings.codebook
    target.write_text(text.replace(f"id: {OTHER}\n", "id: risk.family_renamed\n"), encoding="utf-8")
    reopened = Project.open(smaller.root)
    problem = _refused(reopened, [path])
    assert any(f"code {OTHER!r} (codings) is not in" in p for p in problem.problems)


def test_the_same_coder_diverging_in_two_places_is_reported_not_mixed(tmp_path: Path) -> None:
    lead = lead_project(tmp_path / "lead")
    laptop = copy_for(lead, "ada", tmp_path / "laptop")
    desktop = copy_for(lead, "ada", tmp_path / "desktop")
    apply_code(laptop, "ada", codable(laptop)[1], CODE)
    apply_code(desktop, "ada", codable(desktop)[2], OTHER)
    return_and_merge(laptop, lead, tmp_path, "laptop.coderpack")
    write_return(desktop, tmp_path / "desktop.coderpack")
    problem = _refused(lead, [tmp_path / "desktop.coderpack"])
    assert any("diverging work in two places" in p for p in problem.problems)
    # work done on ada's name in the lead's project after the merge: reported too
    apply_code(lead, "ada", codable(lead)[3], CODE)
    apply_code(laptop, "ada", codable(laptop)[4], CODE)
    write_return(laptop, tmp_path / "laptop2.coderpack")
    problem = _refused(lead, [tmp_path / "laptop2.coderpack"])
    assert any("diverging" in p for p in problem.problems)


def test_an_older_return_after_a_newer_one_is_refused(tmp_path: Path) -> None:
    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "ada", tmp_path)
    apply_code(copy, "ada", codable(copy)[1], CODE)
    write_return(copy, tmp_path / "old.coderpack")
    apply_code(copy, "ada", codable(copy)[2], CODE)
    return_and_merge(copy, lead, tmp_path, "new.coderpack")
    problem = _refused(lead, [tmp_path / "old.coderpack"])
    assert any("older than the work already merged" in p for p in problem.problems)


def test_a_merge_that_fails_half_way_leaves_the_project_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coder.store.team_writes import TeamWriter

    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "ada", tmp_path)
    some_work(copy, "ada")
    write_return(copy, tmp_path / "r.coderpack")
    before = all_coders(lead)

    def broken(self: TeamWriter, who: int, new: list[object]) -> None:
        raise RuntimeError("killed after the codings were written")

    monkeypatch.setattr(TeamWriter, "_events", broken)
    with pytest.raises(RuntimeError):
        merge_returns(lead, [tmp_path / "r.coderpack"])
    assert all_coders(lead) == before


KILLER = """
import os, sys
from pathlib import Path
from coder.project.project import Project
from coder.store.team_writes import TeamWriter
from coder.team.merge import merge_returns

def killed(self, who, new):
    os._exit(9)  # the process dies after the codings, reviews and memos were written

TeamWriter._events = killed
merge_returns(Project.open(Path(sys.argv[1])), [Path(sys.argv[2])])
"""


def test_a_merge_killed_half_way_leaves_the_project_as_it_was(tmp_path: Path) -> None:
    from support.processes import run_python

    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "ada", tmp_path)
    some_work(copy, "ada")
    write_return(copy, tmp_path / "r.coderpack")
    before = all_coders(lead)
    lead.close()
    result = run_python(KILLER, lead.root, tmp_path / "r.coderpack")
    assert result.returncode == 9
    with Project.open(lead.root) as reopened:
        assert all_coders(reopened) == before
        assert merge_returns(reopened, [tmp_path / "r.coderpack"])[0].totals()["added"] == 6


def test_a_return_leaves_other_names_and_the_model_behind(tmp_path: Path) -> None:
    from coder.store.suggestion_writes import store_claims

    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "ada", tmp_path)
    some_work(copy, "ada")
    apply_code(copy, "eve", codable(copy)[0], CODE)  # someone else typed a name in ada's copy
    store_claims(copy, codable(copy)[0], [CODE], [{"code": CODE, "why": "modellens-grunn"}])
    path = tmp_path / "r.coderpack"
    write_return(copy, path)
    blob = b"".join(members(path).values())
    assert (
        b'"eve"' not in blob and b"modellens-grunn" not in blob and b"suggestion.shown" not in blob
    )
    merge_returns(lead, [path])
    assert set(all_coders(lead)) == {"ada", "bo"}


def test_the_summary_notes_codes_only_in_one_codebook(tmp_path: Path) -> None:
    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "ada", tmp_path)
    apply_code(copy, "ada", codable(copy)[0], CODE)
    book = copy.root / copy.settings.codebook
    text = book.read_text(encoding="utf-8")
    own = "codes:\n  - id: egen.kode\n    label: {nb: Egen kode, en: Own code}\n"
    book.write_text(text.replace("codes:\n", own, 1), encoding="utf-8")
    path = tmp_path / "r.coderpack"
    write_return(copy, path)
    merged = merge_returns(lead, [path])
    assert any("egen.kode" in note for note in merged[0].notes)


def _forged(path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of a return with its JSON members changed by ``change`` (a forged file)."""
    content = {
        name: json.loads(data) for name, data in members(path).items() if name.endswith(".json")
    }
    change(content)
    forged = path.with_name("forged-" + path.name)
    raw = {name: json.dumps(value).encode() for name, value in content.items()}
    PackFile(forged, {**members(path), **raw}).write()
    return forged


def test_a_forged_return_cannot_write_as_consensus_or_take_another_coders_rows(
    tmp_path: Path,
) -> None:
    from coder.store.queries import find_memos

    lead = lead_project(tmp_path / "lead")
    copy = copy_for(lead, "ada", tmp_path)
    some_work(copy, "ada")
    path = tmp_path / "r.coderpack"
    write_return(copy, path)

    def as_consensus(content: dict[str, Any]) -> None:
        content["manifest.json"]["coder"] = "consensus"

    problem = _refused(lead, [_forged(path, as_consensus)])
    assert any("not a person's name" in p for p in problem.problems)
    bo_memo = find_memos(lead, coder="bo")[0]["uid"]

    def steal(content: dict[str, Any]) -> None:
        content["work/memos.json"][0]["uid"] = bo_memo

    problem = _refused(lead, [_forged(path, steal)])
    assert any("ids of another coder's rows" in p for p in problem.problems)

    def garble(content: dict[str, Any]) -> None:
        content["work/codings.json"][0]["excerpt"] = "t1"
        content["work/events.json"][1]["undoable"] = "yes"

    problem = _refused(lead, [_forged(path, garble)])
    assert any("work/codings.json row 1: bad excerpt" in p for p in problem.problems)
    assert any("work/events.json row 2: bad undoable" in p for p in problem.problems)
