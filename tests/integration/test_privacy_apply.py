"""Pseudonymising a coded project: codings stay on the same words, the database holds no names."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from coder.errors import CoderError
from coder.privacy.categories import Category
from coder.privacy.entry_matcher import EntryMatcher
from coder.privacy.key_crypto import KeySeal
from coder.privacy.key_file import ENV_KEY, ENV_PASSPHRASE
from coder.privacy.privacy_key import Status
from coder.privacy.privacy_session import PrivacySession
from coder.project.project import Project
from coder.store import history, operations, queries
from coder.store.importer import import_transcript

NAMED = """\
Intervjuer: Kan du fortelle om Sara Hansen?

Deltaker: Sara Hansen var kontaktlæreren min på Bakken ungdomsskole i Tromsø. Saras mann jobbet på NAV.

Intervjuer: Og telefonen?

Deltaker: Hun ga meg nummeret 912 34 567, og fødselsnummeret mitt 15108695088 sto på skjemaet. Jeg bodde i Storgata 12B.

Intervjuer: Hva skjedde så?

Deltaker: Jeg sluttet. Ingen på Bakken ungdomsskole spurte etter meg, bare sara.
"""

ENTRIES = {
    "Sara Hansen": Category.NAVN,
    "Sara": Category.NAVN,
    "Bakken ungdomsskole": Category.SKOLE,
    "Tromsø": Category.STED,
    "912 34 567": Category.TELEFON,
    "15108695088": Category.FNR,
    "Storgata 12B": Category.ADRESSE,
}


@pytest.fixture
def named_project(
    new_project: Path,
    write_transcript: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    monkeypatch.setenv(ENV_KEY, str(tmp_path / "keys" / "key.json"))
    monkeypatch.delenv(ENV_PASSPHRASE, raising=False)
    path = write_transcript(new_project, "named.txt", NAMED)
    with Project.open(new_project) as project:
        import_transcript(project, path)
    return new_project


def _coded_texts(project: Project) -> list[tuple[int, str, int, int, str]]:
    """(excerpt, code, start, end, coded text) of every coding."""
    text = queries.transcript_text(project, "named")
    bounds = {e.id: (e.start, e.end) for e in queries.load_excerpts(project, "named")}
    rows = []
    for row in queries.find_codings(project):
        start, end = row.span or bounds[row.excerpt_id]
        rows.append((row.excerpt_id, row.code_id, start, end, text[start:end]))
    return sorted(rows)


def _expected(text: str, start: int, end: int, matcher: EntryMatcher) -> str:
    """The coded words pseudonymised; a span cutting a name grows to the whole placeholder."""
    for found in matcher.finditer(text):
        if found.start < start < found.end:
            start = found.start
        if found.start < end < found.end:
            end = found.end
    return matcher.replace(text[start:end])


def _db_bytes(root: Path) -> bytes:
    """The database file with its WAL and shared-memory file, as bytes on disk."""
    folder = root / ".coder"
    return b"".join(p.read_bytes() for p in sorted(folder.glob("coder.db*")))


def test_codings_spans_memos_and_reviews_stay_on_the_same_words(named_project: Path) -> None:
    with Project.open(named_project) as project:
        codes = [c.id for c in project.codebook.codes if c.codable][:3]
        excerpts = queries.load_excerpts(project, "named")
        text = queries.transcript_text(project, "named")
        second, fourth, sixth = (e for e in excerpts if e.codable)
        name_at = text.index("Sara Hansen var")
        operations.apply_code(project, "kari", second.id, codes[0])
        operations.apply_code(project, "kari", second.id, codes[1], span=(name_at, name_at + 20))
        school = text.index("Bakken", second.start)
        operations.apply_code(project, "kari", second.id, codes[2], span=(school + 3, school + 30))
        operations.apply_code(
            project, "kari", fourth.id, codes[0], span=(fourth.start + 10, fourth.end - 5)
        )
        operations.apply_code(project, "ola", sixth.id, codes[1])
        operations.mark_reviewed(project, "ola", fourth.id)
        memo = operations.add_memo(
            project, "kari", "Sara Hansen er viktig for henne.", excerpt_id=second.id
        )
        operations.edit_memo(project, "kari", memo, "Sara Hansen i Tromsø er viktig.")
        operations.apply_code(project, "kari", sixth.id, codes[2], span=(sixth.end - 5, sixth.end))
        before = _coded_texts(project)
        reviews_before = queries.reviewed_excerpts(project, "ola")

        session = PrivacySession.open(project, None, create=True)
        for words, category in ENTRIES.items():
            session.key.accept(words, category, source="list")
        session.save()
        report = session.apply()
        _assert_no_names(named_project)  # while open: the WAL is there too

        matcher = EntryMatcher(session.key.with_status(Status.ACCEPTED))
        after = _coded_texts(project)
        assert [row[:2] for row in after] == [row[:2] for row in before]
        for (_, _, start, end, old), (*_, new) in zip(before, after, strict=True):
            assert new == _expected(text, start, end, matcher)
            assert new == matcher.replace(old) or any(
                o.start < start < o.end or o.start < end < o.end for o in matcher.finditer(text)
            )
        coded = [row[-1] for row in after]
        assert "[NAVN-1] var kont" in coded
        assert "[SKOLE-1] i [STED-1]. " in coded  # began inside "Bakken": takes in the placeholder
        assert queries.reviewed_excerpts(project, "ola") == reviews_before
        assert school
        memos = queries.find_memos(project)
        assert [m["text"] for m in memos] == ["[NAVN-1] i [STED-1] er viktig."]
        assert (
            report.counts.transcripts == 1 and report.counts.spans == 4 and report.counts.memos == 1
        )
        new_text = queries.transcript_text(project, "named")
        assert "[TELEFON-1]" in new_text and "[FNR-1]" in new_text and "[NAVN-2]s mann" in new_text
        assert "Sara" not in new_text and "Tromsø" not in new_text
        # re-identification needs the key (lower-case "sara" comes back as the key's "Sara")
        assert session.reidentify(new_text) == NAMED.replace("bare sara.", "bare Sara.").rstrip(
            "\n"
        )

        # undo still finds the last coding (its span in the log was re-mapped)
        step = history.undo(project, "kari")
        assert step is not None and step.kind == "coding.apply" and not step.lost
        assert len(queries.find_codings(project, coder="kari")) == 4
        step = history.undo(project, "kari")  # the memo edit goes back to the pseudonymised text
        assert [m["text"] for m in queries.find_memos(project)] == ["[NAVN-1] er viktig for henne."]

    _assert_no_names(named_project)


def _assert_no_names(root: Path) -> None:
    raw = _db_bytes(root)
    assert b"[NAVN-1]" in raw, "the database files were read"
    for words in ENTRIES:
        for form in {words, words.lower(), words.upper()}:
            assert form.encode("utf-8") not in raw, form


def test_apply_discards_models_and_backups_trained_on_identifying_text(named_project: Path) -> None:
    models = named_project / ".coder" / "models" / "coder-kari-x"
    models.mkdir(parents=True)
    (models / "model.json").write_text('{"vocabulary": ["sara"]}', encoding="utf-8")
    backups = named_project / ".coder" / "backups"
    backups.mkdir()
    (backups / "coder-v1.db").write_bytes(b"Sara Hansen")
    with Project.open(named_project) as project:
        session = PrivacySession.open(project, None, create=True)
        session.key.accept("Sara Hansen", Category.NAVN)
        report = session.apply()
    assert set(report.discarded) == {".coder/models", ".coder/backups"}
    assert not models.exists() and not backups.exists()


def test_bad_keys_change_nothing(
    named_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("coder.privacy.key_file.KeySeal", lambda: KeySeal(n=2**10))
    db_before = _db_bytes(named_project)
    with Project.open(named_project) as project:
        with pytest.raises(CoderError, match=r"privacy key not found.*coder privacy scan"):
            PrivacySession.open(project, None)
        session = PrivacySession.open(project, "hemmelig", create=True)
        session.key.accept("Sara Hansen", Category.NAVN)
        session.save()
        key_bytes = session.key_file.path.read_bytes()
        with pytest.raises(CoderError, match="wrong passphrase"):
            PrivacySession.open(project, "feil")
        with pytest.raises(CoderError, match="encrypted; give its passphrase"):
            PrivacySession.open(project, None)
        monkeypatch.setenv(ENV_KEY, str(tmp_path / "keys" / "fresh.json"))
        with pytest.raises(
            CoderError, match=r"key id [0-9a-f]+, and re-identification needs that file"
        ):
            PrivacySession.open(project, None, create=True)
        assert not (tmp_path / "keys" / "fresh.json").exists()
    other_root = tmp_path / "other"
    shutil.copytree(named_project, other_root, ignore=shutil.ignore_patterns(".coder"))
    monkeypatch.setenv(ENV_KEY, str(tmp_path / "keys" / "key.json"))
    with (
        Project.open(other_root) as other_project,
        pytest.raises(CoderError, match=r"privacy key of another project.*has no key yet"),
    ):
        PrivacySession.open(other_project, "hemmelig")
    with Project.open(named_project) as project:
        assert queries.transcript_text(project, "named") == NAMED.rstrip("\n")
    assert session.key_file.path.read_bytes() == key_bytes
    assert b"Sara Hansen" in _db_bytes(named_project) and b"Sara Hansen" in db_before


def test_speaker_labels_that_are_names_are_pseudonymised(
    new_project: Path,
    write_transcript: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_KEY, str(tmp_path / "keys" / "key.json"))
    config = new_project / "coder.toml"
    text = config.read_text(encoding="utf-8").replace(
        'participant = ["D",', 'participant = ["Sara", "D",'
    )
    config.write_text(text, encoding="utf-8")
    path = write_transcript(
        new_project, "s.txt", "Intervjuer: Hei.\n\nSara: Hei, jeg heter Sara.\n"
    )
    with Project.open(new_project) as project:
        import_transcript(project, path)
        assert [e.speaker for e in queries.load_excerpts(project, "s")] == ["Intervjuer", "Sara"]
        session = PrivacySession.open(project, None, create=True)
        session.key.accept("Sara", Category.NAVN)
        session.apply()
        assert [e.speaker for e in queries.load_excerpts(project, "s")] == [
            "Intervjuer",
            "[NAVN-1]",
        ]
    assert b"Sara" not in _db_bytes(new_project)


def test_scan_uses_the_pipeline_named_in_coder_toml(named_project: Path, tmp_path: Path) -> None:
    import spacy

    nlp = spacy.blank("nb")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PER", "pattern": "Intervjuer"}])  # type: ignore[attr-defined]
    folder = tmp_path / "nb_ruler"
    nlp.to_disk(folder)
    config = named_project / "coder.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + f'\n[suggest]\npipeline = "{folder}"\n',
        encoding="utf-8",
    )
    with Project.open(named_project) as project:
        report, _ = PrivacySession.open(project, None, create=True).scan()
    by_text = {c.text: c for c in report.candidates}
    # a line-start label the other detectors never flag: only the pipeline's entity ruler does
    assert by_text["Intervjuer"].source == "spacy:PER" and len(by_text["Intervjuer"].places) == 3
