"""The small project the export tests read back, built through the real store API.

``make_export_project(folder)`` creates a project with its own codebook (a reserved word, ids
longer than 32 characters that share a prefix, an id starting with a digit, an id that clashes
with another after naming), two transcripts with æøå, quotes, separators and a line break,
cases.csv, and codings, reviews, memos and ratings by ``åse``, ``bjørn``, the ``consensus``
layer and the ``model``. The export tests import it from here
(``support.export_project``) and check exports against the facts written down in ``FACTS``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coder.domain.transcript import Origin
from coder.project.init import init_project
from coder.project.project import Project
from coder.store.cases_import import import_cases
from coder.store.importer import import_transcript
from coder.store.operations import add_memo, apply_code, mark_reviewed, set_rating
from coder.store.queries import load_excerpts
from support.backends import Backend

LONG_A = "familie.stoette.fra.soesken.og.besteforeldre.over.tid"
LONG_B = "familie.stoette.fra.soesken.og.besteforeldre.i.perioder"

CODEBOOK = f"""\
codebook:
  name: Testbok for eksport
  version: 1.0.0
  languages: [nb, en]
codes:
  - id: familie
    label: {{nb: Familie og oppvekst, en: Family and upbringing}}
    codable: false
  - id: familie.brudd
    parent: familie
    label: {{nb: Brudd i familien, en: Family break}}
  - id: {LONG_A}
    parent: familie
    label: {{nb: Støtte fra søsken og besteforeldre over tid, en: Lasting support from siblings}}
  - id: {LONG_B}
    parent: familie
    label: {{nb: Støtte i perioder, en: Support at times}}
  - id: in
    label: {{nb: Inne i systemet, en: Inside the system}}
  - id: skole
    label: {{nb: Skole og lærere, en: School and teachers}}
  - id: skole-
    label: {{nb: Skolevegring, en: School refusal}}
  - id: 2.gang
    label: {{nb: Andre gang, en: Second time}}
attributes:
  - id: relational_robustness
    label: {{nb: Relasjonell robusthet, en: Relational robustness}}
    kind: ordinal
    levels:
      - {{id: steady, label: {{nb: Stødig, en: Steady}}}}
      - {{id: wavering, label: {{nb: Vaklende, en: Wavering}}}}
      - {{id: trembling, label: {{nb: Skjelvende, en: Trembling}}}}
  - id: neet_status
    label: {{nb: NEET-status, en: NEET status}}
    kind: nominal
    levels:
      - {{id: in_education, label: {{nb: I utdanning, en: In education}}}}
      - {{id: in_work, label: {{nb: I arbeid, en: In work}}}}
      - {{id: inactive_neet, label: {{nb: Inaktiv NEET, en: Inactive NEET}}}}
  - id: age
    label: {{nb: Alder, en: Age}}
    kind: interval
  - id: county
    label: {{nb: Fylke, en: County}}
    kind: text
"""

INTERVJU = """\
Intervjuer: Kan du fortelle litt om familien?

Deltaker: Jeg brøt med faren min. Det var tøft, særlig i åttende.

Intervjuer: Hvem støttet deg?

Deltaker: Bestemor og søsteren min, hele tiden. De sa: «du klarer det».

Intervjuer: Og nå?

Deltaker: Nå går det greit.
"""
"""Case ung01. Excerpts 2, 4 and 6 are the participant's."""

SAMTALE = """\
Intervjuer: Hvordan var skolen?

Deltaker: Læreren sa "nei; aldri", og jeg gikk hjem, igjen.
Det skjedde to ganger.

Intervjuer: Takk.
"""
"""Case ung02. Excerpt 2 holds a quote, a separator (;), a comma and a line break."""

CASES = "case,neet_status,age,county\nung01,in_education,17,Bærum\nung02,inactive_neet,,Tromsø\n"

FACTS: dict[str, Any] = {
    # coder -> (transcript, excerpt seq) -> codes; every listed excerpt is reviewed
    "codings": {
        "åse": {
            ("intervju", 2): ["familie.brudd", "in"],
            ("intervju", 4): [LONG_A],
            ("intervju", 6): [],
            ("samtale", 2): ["skole"],
        },
        "bjørn": {
            ("intervju", 2): ["familie.brudd"],
            ("intervju", 4): [LONG_B, "skole-"],
            ("samtale", 2): ["skole", "2.gang"],
        },
        "consensus": {("intervju", 2): ["familie.brudd"], ("intervju", 4): [LONG_A]},
        "model": {("intervju", 2): ["skole"]},
    },
    "span": ("åse", "samtale", 2, "skole"),  # coded on a narrower span
    "memo": ("åse", "intervju", 4, 'Viktig – «sitat», "ja"; ok'),
    "ratings": {
        ("åse", "ung01"): "steady",
        ("åse", "ung02"): "trembling",
        ("bjørn", "ung01"): "wavering",
        ("consensus", "ung01"): "wavering",
    },
}


def make_export_project(folder: Path, backend: Backend | None = None) -> Path:
    """Build the project in ``folder`` (which must not hold one) on ``backend``; the folder."""
    book = folder.parent / f"{folder.name}-testbok.yaml"
    book.write_text(CODEBOOK, encoding="utf-8")
    init_project(folder, codebook=book)
    if backend is not None:
        backend.attach(folder)
    transcripts = folder / "transcripts"
    transcripts.mkdir(exist_ok=True)
    (transcripts / "intervju.txt").write_text(INTERVJU, encoding="utf-8")
    (transcripts / "samtale.txt").write_text(SAMTALE, encoding="utf-8")
    (folder / "cases.csv").write_text(CASES, encoding="utf-8")
    with Project.open(folder) as project:
        import_transcript(project, transcripts / "intervju.txt", case_id="ung01")
        import_transcript(project, transcripts / "samtale.txt", case_id="ung02")
        import_cases(project, folder / "cases.csv")
        ids = {
            (tid, excerpt.seq): excerpt
            for tid in ("intervju", "samtale")
            for excerpt in load_excerpts(project, tid)
        }
        span_coder, span_tid, span_seq, span_code = FACTS["span"]
        for coder, units in FACTS["codings"].items():
            origin = {"consensus": Origin.CONSENSUS, "model": Origin.SUGGESTION}.get(
                coder, Origin.MANUAL
            )
            for (tid, seq), codes in units.items():
                excerpt = ids[(tid, seq)]
                for code in codes:
                    span = None
                    if (coder, tid, seq, code) == (span_coder, span_tid, span_seq, span_code):
                        span = (excerpt.start + 3, excerpt.start + 10)
                    apply_code(project, coder, excerpt.id, code, origin=origin, span=span)
                if coder != "model":
                    mark_reviewed(project, coder, excerpt.id)
        memo_coder, memo_tid, memo_seq, memo_text = FACTS["memo"]
        add_memo(project, memo_coder, memo_text, excerpt_id=ids[(memo_tid, memo_seq)].id)
        for (coder, case), value in FACTS["ratings"].items():
            set_rating(project, coder, case, "relational_robustness", value)
    return folder


def excerpt(folder: Path, transcript: str, seq: int) -> Any:
    """The stored excerpt (with its text)."""
    with Project.open(folder) as project:
        return next(e for e in load_excerpts(project, transcript) if e.seq == seq)
