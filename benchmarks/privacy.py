"""Detection recall and precision on the demo with names, places and numbers written into it.

Copies of the demo transcripts get persons, places, fødselsnummer / D-nummer (valid checksums,
found with python-stdnum) and phone numbers (valid for NO, checked with phonenumbers) inserted
mid-sentence at known positions. The detectors then run twice: without the lead's list (patterns
and capitalised words only) and with the inserted names and places in the key as the lead's
list. Prints one JSON object: recall per category, precision against the inserted spans, and how
many other spans were flagged (the demo's own pseudonyms and places, and false alarms).

    python benchmarks/privacy.py [--small] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from coder.privacy.categories import Category  # noqa: E402
from coder.privacy.detector import Detector  # noqa: E402
from coder.privacy.found import Found  # noqa: E402
from coder.privacy.privacy_key import PrivacyKey  # noqa: E402

PERSONS = [
    "Ingrid Solberg",
    "Kasper",
    "Maja Lien",
    "Eirik",
    "Thea Nordvik",
    "Amir",
    "Sofie Bakke",
    "Henrik Dahl",
    "Nora",
    "Ahmed Yusuf",
    "Linnea",
    "Jørgen Strand",
    "Åse",
    "Mathias Berg",
]
PLACES = [
    "Lillehammer",
    "Kongsvinger",
    "Steinkjer",
    "Alta",
    "Mosjøen",
    "Førde",
    "Gjøvik",
    "Hønefoss",
    "Molde",
    "Narvik",
]
PERSON_FRAMES = [
    "Jeg snakket med {} om det.",
    "Det var {} som hjalp meg.",
    "Vi ringte til {} etterpå.",
    "{} sa at det gikk bra.",  # sentence-initial: the capitalised rule cannot see it
]
PLACE_FRAMES = [
    "Vi bodde i {} da.",
    "Hun kom fra {} en gang.",
    "Jeg flyttet til {} etter det.",
    "{} var et fint sted.",
]
FNR_FRAMES = ["Fødselsnummeret mitt er {}, sto det.", "På skjemaet sto {} helt øverst."]
PHONE_FRAMES = ["Ring meg på {} hvis noe skjer.", "Nummeret til veilederen var {} da."]


def _fnr(rng: random.Random, d_number: bool) -> str:
    from stdnum.no import fodselsnummer

    while True:
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(0, 9)
        serial = rng.randint(0, 499)
        base = f"{day + (40 if d_number else 0):02d}{month:02d}{year + 90:02d}{serial:03d}"
        for check in range(100):
            number = f"{base}{check:02d}"
            if fodselsnummer.is_valid(number):
                return number if rng.random() < 0.5 else f"{number[:6]} {number[6:]}"


def _phone(rng: random.Random) -> str:
    import phonenumbers

    while True:
        digits = f"{rng.choice('49')}{rng.randint(0, 9_999_999):07d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(digits, "NO")):
            style = rng.randint(0, 2)
            if style == 0:
                return f"{digits[:3]} {digits[3:5]} {digits[5:]}"
            if style == 1:
                return f"+47 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"
            return digits


def _insert(
    text: str, rng: random.Random, items: list[tuple[Category, str, str]]
) -> tuple[str, list[tuple[int, int, Category]]]:
    """Put each (category, frame, value) after a random sentence end inside a turn."""
    ends = [i + 1 for i, ch in enumerate(text) if ch == "." and text[i + 1 : i + 2] == " "]
    chosen = sorted(rng.sample(ends, min(len(items), len(ends))))
    out, spans, cursor = [], [], 0
    for point, (category, frame, value) in zip(chosen, items, strict=False):
        out.append(text[cursor:point])
        before = " " + frame[: frame.index("{}")]
        offset = sum(len(piece) for piece in out) + len(before)
        out.append(before + value + frame[frame.index("{}") + 2 :])
        spans.append((offset, offset + len(value), category))
        cursor = point
    out.append(text[cursor:])
    return "".join(out), spans


def build(
    rng: random.Random, files: list[Path], per_file: int
) -> tuple[dict[str, str], dict[str, list[tuple[int, int, Category]]]]:
    texts, truth = {}, {}
    for path in files:
        items: list[tuple[Category, str, str]] = []
        for index in range(per_file):
            kind = index % 4
            if kind == 0:
                items.append((Category.NAVN, rng.choice(PERSON_FRAMES), rng.choice(PERSONS)))
            elif kind == 1:
                items.append((Category.STED, rng.choice(PLACE_FRAMES), rng.choice(PLACES)))
            elif kind == 2:
                items.append((Category.FNR, rng.choice(FNR_FRAMES), _fnr(rng, rng.random() < 0.3)))
            else:
                items.append((Category.TELEFON, rng.choice(PHONE_FRAMES), _phone(rng)))
        rng.shuffle(items)
        text = path.read_text(encoding="utf-8")
        texts[path.stem], truth[path.stem] = _insert(text, rng, items)
    return texts, truth


def coverage(
    texts: dict[str, str],
    found: dict[str, list[Found]],
    truth: dict[str, list[tuple[int, int, Category]]],
) -> float:
    """Share of inserted spans replaced once every flagged text is accepted (all occurrences)."""
    from coder.privacy.entry_matcher import EntryMatcher

    key = PrivacyKey.new("coverage")
    for tid, hits in found.items():
        for h in hits:
            key.accept(h.text_in(texts[tid]), h.category)
    matcher = EntryMatcher(key.entries)
    covered = total = 0
    for tid, spans in truth.items():
        places = list(matcher.finditer(texts[tid]))
        for start, end, _ in spans:
            total += 1
            covered += any(o.start <= start and end <= o.end for o in places)
    return round(covered / total, 3)


def score(
    found: dict[str, list[Found]], truth: dict[str, list[tuple[int, int, Category]]]
) -> dict[str, Any]:
    hit: dict[str, int] = {}
    total: dict[str, int] = {}
    flagged = matched = 0
    by_source: dict[str, list[int]] = {}
    for tid, spans in truth.items():
        hits = found.get(tid, [])
        for start, end, category in spans:
            total[category.value] = total.get(category.value, 0) + 1
            if any(h.start <= start and end <= h.end for h in hits):
                hit[category.value] = hit.get(category.value, 0) + 1
        for h in hits:
            good = any(h.start < end and start < h.end for start, end, _ in spans)
            flagged += 1
            matched += good
            counts = by_source.setdefault(
                h.source.split(":")[0] if h.source.startswith("key") else h.source, [0, 0]
            )
            counts[0] += good
            counts[1] += 1
    recall = {c: round(hit.get(c, 0) / n, 3) for c, n in sorted(total.items())}
    inserted = sum(total.values())
    return {
        "inserted": inserted,
        "recall": round(sum(hit.values()) / inserted, 3),
        "recall_by_category": recall,
        "flagged": flagged,
        "precision_against_inserted": round(matched / flagged, 3) if flagged else None,
        "other_flagged": flagged - matched,
        "by_source": {
            s: {"flagged": n, "on_inserted": g} for s, (g, n) in sorted(by_source.items())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="three transcripts, few insertions")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    files = sorted((REPO / "transcripts").glob("*.txt"))
    files = files[:3] if args.small else files
    texts, truth = build(rng, files, 8 if args.small else 24)

    started = time.perf_counter()
    bare = Detector(PrivacyKey.new("benchmark")).find(texts)
    seconds = time.perf_counter() - started
    listed = PrivacyKey.new("benchmark")
    for name in PERSONS:
        listed.accept(name, Category.NAVN, source="list")
    for place in PLACES:
        listed.accept(place, Category.STED, source="list")
    with_list = Detector(listed).find(texts)
    result = {
        "mode": "small" if args.small else "full",
        "transcripts": len(texts),
        "characters": sum(len(t) for t in texts.values()),
        "seed": args.seed,
        "without_list": score(bare, truth)
        | {"coverage_after_review": coverage(texts, bare, truth)},
        "with_lead_list": score(with_list, truth)
        | {"coverage_after_review": coverage(texts, with_list, truth)},
        "scan_seconds": round(seconds, 3),
        "note": "other_flagged counts the demo's own pseudonyms and places as well as false alarms",
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
