"""Deterministic synthetic coder projects for benchmarks: many transcripts, many codings.

``make_project(folder)`` writes Norwegian-looking interview transcripts (alternating
``Intervjuer:``/``Deltaker:`` turns, one excerpt per turn), creates a project around them with
``coder.project.init.init_project``, imports every file through the real
``coder.store.importer.import_transcript``, and then bulk-inserts codings and reviewed marks
straight into the ``codings`` and ``reviews`` tables (one transaction, SQLAlchemy Core). The
import is the real code path; the codings are a fixture, inserted as fast as possible, without
events.

The same seed gives the same files, the same excerpt ids and the same codings. Default size:
500 transcripts x 200 excerpts = 100,000 excerpts, 3 coders x 100,000 codings. With
``big_transcript_excerpts`` one more transcript, ``intervju_lang``, holds that many excerpts
(the TUI benchmark uses 3,000).

Command line::

    python benchmarks/synthetic.py OUT_DIR [--transcripts N] [--excerpts N] [--big 3000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coder.project.project import Project

BIG_TRANSCRIPT_ID = "intervju_lang"
"""Id of the extra long transcript written when ``big_transcript_excerpts`` is given."""

MANIFEST_NAME = "synthetic.json"
"""File in the project folder recording how the project was generated."""

DEFAULT_CODERS = ("ada", "bjørn", "cecilie")

INTERVIEWER = "Intervjuer"
PARTICIPANT = "Deltaker"

_WORD_TEXT = (
    "og jeg det er ikke på som en til med har av for så var de meg hun han vi men bare liksom "
    "altså hva når skulle kunne ble noe jo da også skolen lærer lærerne klassen venner venninne "
    "mamma pappa søster bror familie hjemme barnevernet nav jobb lønn praksis læreplass fotball "
    "trening kjæreste ensom ensomhet mobbing mobbet fravær følte føler først både nå går gikk "
    "gjør få fått hørt møte møtte øyeblikk tårer ærlig fæl kjedelig vanskelig tøft greit bra "
    "dårlig sånn egentlig kanskje aldri alltid hver dag uke året høsten våren sommeren tidlig "
    "sent hjelp støtte samtale rådgiver helsesøster psykolog lege fastlege kontakt oppfølging "
    "videregående ungdomsskolen barneskolen kommunen fylket bydelen byen bygda huset rommet "
    "kjøkkenet døra vinduet bussen toget penger regning søknad skjema møtet planen mål mestring "
    "selvfølelse trygg trygghet redd sint lei trøtt sliten glad stolt flau "
)
"""The vocabulary: Norwegian function words (so coder guesses nb) and content words with æøå."""
_WORDS = tuple(_WORD_TEXT.split())

_QUESTION_STARTS = (
    "Hvordan var det",
    "Kan du fortelle om",
    "Hva tenkte du om",
    "Når merket du",
    "Hvem hjalp deg med",
    "Hva skjedde med",
    "Hvordan opplevde du",
)


@dataclass(frozen=True, slots=True)
class SyntheticSpec:
    """What ``make_project`` generates; written to ``synthetic.json`` in the project."""

    transcripts: int = 500
    """Number of regular transcripts."""
    excerpts_per_transcript: int = 200
    """Excerpts (speaker turns) in each regular transcript; half are participant turns."""
    coders: tuple[str, ...] = DEFAULT_CODERS
    """Coder names."""
    codings_per_coder: int = 100_000
    """Codings inserted for each coder on codable (participant) excerpts."""
    big_transcript_excerpts: int | None = None
    """Excerpts of the extra ``intervju_lang`` transcript, or None for no such transcript."""
    seed: int = 0
    """Random seed: the same seed gives the same project."""


@dataclass(frozen=True, slots=True)
class FixtureCounts:
    """What ``add_codings`` inserted."""

    codings: dict[str, int]
    """Coder name -> codings inserted."""
    reviews: dict[str, int]
    """Coder name -> reviewed marks inserted."""
    codable_excerpts: int
    """Codable excerpts in the project."""
    codes: int
    """Codable codes in the codebook."""


def transcript_ids(spec: SyntheticSpec) -> list[str]:
    """The transcript ids ``make_project`` creates, in import order."""
    ids = [f"intervju_{number:04d}" for number in range(1, spec.transcripts + 1)]
    if spec.big_transcript_excerpts:
        ids.append(BIG_TRANSCRIPT_ID)
    return ids


def _sentence(rng: random.Random, low: int, high: int, end: str) -> str:
    words = rng.choices(_WORDS, k=rng.randint(low, high))
    return words[0].capitalize() + " " + " ".join(words[1:]) + end


def _question(rng: random.Random) -> str:
    start = rng.choice(_QUESTION_STARTS)
    return f"{start} {' '.join(rng.choices(_WORDS, k=rng.randint(2, 8)))}?"


def _participant_turn(rng: random.Random) -> str:
    """One to four sentences; now and then two short paragraphs (still one excerpt)."""
    sentences = [_sentence(rng, 4, 16, rng.choice(".........!?")) for _ in range(rng.randint(1, 4))]
    text = " ".join(sentences)
    if rng.random() < 0.1:
        text += "\n\n" + _sentence(rng, 3, 10, ".")
    return text


def transcript_text(rng: random.Random, excerpts: int, *, crlf: bool = False) -> str:
    """An interview of ``excerpts`` turns, interviewer first, each turn well under 1,500 chars."""
    turns: list[str] = []
    for index in range(excerpts):
        if index % 2 == 0:
            body = _question(rng) if rng.random() < 0.8 else _sentence(rng, 2, 8, ".")
            turns.append(f"{INTERVIEWER}: {body}")
        else:
            turns.append(f"{PARTICIPANT}: {_participant_turn(rng)}")
    text = "\n\n".join(turns) + "\n"
    return text.replace("\n", "\r\n") if crlf else text


def write_transcripts(folder: Path, spec: SyntheticSpec) -> list[Path]:
    """Write the spec's transcript files into ``folder`` (created); returns them in import order."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{spec.seed}:text")
    paths: list[Path] = []
    sizes = [spec.excerpts_per_transcript] * spec.transcripts
    if spec.big_transcript_excerpts:
        sizes.append(spec.big_transcript_excerpts)
    for number, (tid, size) in enumerate(zip(transcript_ids(spec), sizes, strict=True)):
        path = folder / f"{tid}.txt"
        # every fifth file has Windows line ends, as files from Word-on-Windows often do
        path.write_bytes(transcript_text(rng, size, crlf=number % 5 == 4).encode("utf-8"))
        paths.append(path)
    return paths


def import_transcripts(
    project: Project,
    paths: Sequence[Path],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Import ``paths`` one by one with ``import_transcript``; returns the number of excerpts."""
    from coder.store.importer import import_transcript

    total = 0
    for done, path in enumerate(paths, start=1):
        total += import_transcript(project, path).excerpts
        if progress is not None:
            progress(done, len(paths))
    return total


def _chunks(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def add_codings(
    project: Project,
    coders: Sequence[str] = DEFAULT_CODERS,
    codings_per_coder: int = 100_000,
    *,
    seed: int = 0,
    extra_reviewed: float = 0.1,
) -> FixtureCounts:
    """Bulk-insert codings and reviewed marks for each coder in one transaction.

    Each coder gets ``codings_per_coder`` distinct (excerpt, code) pairs drawn uniformly from
    the codable excerpts x the codebook's codable codes; about 5 % carry a narrower span and
    10 % have origin ``suggestion``. A coder's reviewed excerpts are the ones they coded plus
    ``extra_reviewed`` of the rest ("looked at it, no code").
    """
    from sqlalchemy import insert, select

    from coder.store.coders import ensure_coder
    from coder.store.database import writer
    from coder.store.schema import codings, excerpts, reviews

    codes = [code.id for code in project.codebook.codable_codes]
    base = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    coding_counts: dict[str, int] = {}
    review_counts: dict[str, int] = {}
    with writer(project.store.engine).begin() as conn:
        rows = conn.execute(
            select(excerpts.c.id, excerpts.c.start, excerpts.c.end)
            .where(excerpts.c.codable.is_(True))
            .order_by(excerpts.c.id)
        ).all()
        ids = [int(row.id) for row in rows]
        bounds = [(int(row.start), int(row.end)) for row in rows]
        space = len(ids) * len(codes)
        if codings_per_coder > space:
            raise ValueError(
                f"{codings_per_coder} codings per coder do not fit on {len(ids)} codable "
                f"excerpts x {len(codes)} codes"
            )
        for number, name in enumerate(coders):
            who = ensure_coder(conn, name)
            rng = random.Random(f"{seed}:codings:{name}")
            picks = sorted(rng.sample(range(space), codings_per_coder))
            coded = {pick // len(codes) for pick in picks}

            def coding_rows(
                picks: list[int] = picks,
                rng: random.Random = rng,
                who: int = who,
                number: int = number,
            ) -> Iterator[dict[str, Any]]:
                for index, pick in enumerate(picks):
                    row_index, code_index = divmod(pick, len(codes))
                    start, end = bounds[row_index]
                    span: tuple[int | None, int | None] = (None, None)
                    if end - start > 20 and rng.random() < 0.05:
                        span_start = start + rng.randrange((end - start) // 2)
                        span = (span_start, rng.randint(span_start + 1, end))
                    at = base + timedelta(days=number, seconds=index * 7)
                    yield {
                        "excerpt_id": ids[row_index],
                        "code_id": codes[code_index],
                        "coder_id": who,
                        "origin": "suggestion" if rng.random() < 0.1 else "manual",
                        "span_start": span[0],
                        "span_end": span[1],
                        "created_at": at.isoformat(timespec="microseconds"),
                    }

            for chunk in _chunks(coding_rows(), 2_000):
                conn.execute(insert(codings), chunk)
            reviewed = sorted(
                coded
                | {i for i in range(len(ids)) if i not in coded and rng.random() < extra_reviewed}
            )
            at = (base + timedelta(days=number)).isoformat(timespec="microseconds")
            review_rows = (
                {"coder_id": who, "excerpt_id": ids[i], "reviewed_at": at} for i in reviewed
            )
            for chunk in _chunks(review_rows, 2_000):
                conn.execute(insert(reviews), chunk)
            coding_counts[name] = codings_per_coder
            review_counts[name] = len(reviewed)
    return FixtureCounts(coding_counts, review_counts, len(ids), len(codes))


def make_project(
    folder: Path,
    transcripts: int = 500,
    excerpts_per_transcript: int = 200,
    coders: Sequence[str] = DEFAULT_CODERS,
    codings_per_coder: int = 100_000,
    big_transcript_excerpts: int | None = None,
    seed: int = 0,
    *,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Create a synthetic project in ``folder`` (which must not hold a project); returns it.

    The project's settings are ``coder init``'s defaults with the bundled codebook. A
    ``synthetic.json`` manifest in the folder records the spec, the transcript ids, the big
    transcript's id and what was inserted.
    """
    from coder.project.init import init_project
    from coder.project.project import Project

    spec = SyntheticSpec(
        transcripts,
        excerpts_per_transcript,
        tuple(coders),
        codings_per_coder,
        big_transcript_excerpts,
        seed,
    )
    say = progress or (lambda _message: None)
    init_project(folder)
    say(f"writing {spec.transcripts} transcripts")
    paths = write_transcripts(folder / "transcripts", spec)
    with Project.open(folder) as project:
        step = max(1, len(paths) // 10)

        def report(done: int, total: int) -> None:
            if done % step == 0 or done == total:
                say(f"imported {done}/{total} transcripts")

        excerpts = import_transcripts(project, paths, report)
        expected = spec.transcripts * spec.excerpts_per_transcript
        expected += spec.big_transcript_excerpts or 0
        if excerpts != expected:
            raise RuntimeError(f"the import made {excerpts} excerpts, not {expected}")
        say(f"inserting {spec.codings_per_coder} codings for each of {len(spec.coders)} coders")
        counts = add_codings(project, spec.coders, spec.codings_per_coder, seed=seed)
    manifest = {
        "spec": asdict(spec),
        "transcript_ids": transcript_ids(spec),
        "big_transcript_id": BIG_TRANSCRIPT_ID if spec.big_transcript_excerpts else None,
        "excerpts": excerpts,
        "codable_excerpts": counts.codable_excerpts,
        "codings": counts.codings,
        "reviews": counts.reviews,
    }
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return folder


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: generate a project into OUT_DIR and print its manifest summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path, help="folder for the new project (must not hold one)")
    parser.add_argument("--transcripts", type=int, default=500, help="regular transcripts")
    parser.add_argument("--excerpts", type=int, default=200, help="excerpts per transcript")
    parser.add_argument("--big", type=int, default=None, help="add intervju_lang with N excerpts")
    parser.add_argument("--coders", default=",".join(DEFAULT_CODERS), help="comma-separated")
    parser.add_argument("--codings", type=int, default=100_000, help="codings per coder")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    folder = make_project(
        args.out_dir,
        transcripts=args.transcripts,
        excerpts_per_transcript=args.excerpts,
        coders=tuple(name.strip() for name in args.coders.split(",") if name.strip()),
        codings_per_coder=args.codings,
        big_transcript_excerpts=args.big,
        seed=args.seed,
        progress=lambda message: print(message, file=sys.stderr, flush=True),
    )
    manifest = json.loads((folder / MANIFEST_NAME).read_text())
    print(
        f"{folder}: {len(manifest['transcript_ids'])} transcripts, {manifest['excerpts']} "
        f"excerpts, codings {manifest['codings']} in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
