"""``handout``: the lead writes one coder's pack; ``join`` opens it as the coder's own project.

The hand-out holds coder.toml, the codebook file, every transcript (the text as imported, so
pseudonymised text stays pseudonymised; source files are not carried) with its excerpts, the
cases and their facts, and the coder's own earlier work if they have any. It holds nothing of
any other coder: no codings, reviews, memos, ratings, positions or events of anyone else, no
consensus, no suggestion model (it learned from others' codings). The lead's project records the
hand-out (an event without a coder), so a later merge can tell the coder's returned work from
work done on their name elsewhere.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from coder import __version__
from coder.domain.coders import check_name, coder_kind
from coder.errors import CoderError
from coder.team.pack import FORMAT, HANDOUT, VERSION, Pack, now

if TYPE_CHECKING:
    from coder.project.project import Project


@dataclass(frozen=True, slots=True)
class HandoutResult:
    """What ``handout`` wrote."""

    path: Path
    """The pack."""
    coder: str
    """Who it is for."""
    transcripts: int
    """Transcripts in it."""
    excerpts: int
    """Excerpts in it."""
    own_codings: int
    """The coder's own earlier codings carried along."""


def project_files(project: Project) -> dict[str, str]:
    """coder.toml and the codebook file, by path relative to the project folder."""
    codebook = PurePosixPath(project.settings.codebook)
    if codebook.is_absolute() or ".." in codebook.parts:
        raise CoderError(
            f"coder.toml: codebook {project.settings.codebook!r} is outside the project folder; "
            "a hand-out carries the project's own files only: move it into codebooks/"
        )
    return {
        "coder.toml": (project.root / "coder.toml").read_text(encoding="utf-8-sig"),
        str(codebook): (project.root / codebook).read_text(encoding="utf-8-sig"),
    }


def handout(
    project: Project, coder: str, path: Path, passphrase: str | None = None
) -> HandoutResult:
    """Write ``coder``'s hand-out to ``path`` and record it in the project."""
    from coder.store.team_reads import coder_work, fill_missing_uids, read_skeleton
    from coder.store.team_writes import team_merge

    name = check_name(coder)
    if coder_kind(name) != "human":
        raise CoderError(f"{name!r} is not a person; hand out to a human coder's name")
    fill_missing_uids(project)
    work, _ = coder_work(project, name)
    tables = read_skeleton(project)
    handout_id = uuid.uuid4().hex
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "pack": handout_id,
        "handout": handout_id,
        "coder": name,
        "project": project.settings.name,
        "created_at": now(),
        "coder_version": __version__,
        "codebook": project.settings.codebook,
    }
    Pack(HANDOUT, manifest, work, project_files(project), tables).write(Path(path), passphrase)
    with team_merge(project) as writer:
        writer.record(
            "team.handout",
            {
                "kind": "handout",
                "coder": name,
                "handout": handout_id,
                "at": manifest["created_at"],
                "digest": work.digest(),
                "events": len(work.events),
                "file": Path(path).name,
            },
        )
    return HandoutResult(
        Path(path), name, len(tables["transcripts"]), len(tables["excerpts"]), len(work.codings)
    )
