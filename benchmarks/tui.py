"""TUI latency, headless (Textual Pilot), as JSON.

Run: python benchmarks/tui.py [--small]

On the store benchmark's synthetic project (500 transcripts x 200 excerpts = 100k excerpts,
3 coders x 100k codings) plus one 3,000-excerpt transcript, and on the demo project:
- launch_to_coding_ms: from building the app (opening the project) to the coding screen painted
  on the big transcript (the app starts at home with it highlighted; Enter resumes there; the
  Enter is pressed as soon as home is up), target < 1000 ms;
- toggle_ms: a code's hotkey from the moment the app receives the key until the coding is
  committed and the screen has painted the change (p50/p95), target p95 < 30 ms;
- move_ms: j from the moment the app receives the key until the next excerpt is painted (moving
  marks nothing reviewed, it saves the position) (p50/p95), target p95 < 16 ms;
- reading_open_ms: T from the coding screen until the full-transcript reading view is painted
  (every excerpt laid out, the rows on screen styled), target p95 < 250 ms;
- reading_move_ms: j, PageDown and End in the reading view until painted, target p95 < 16 ms;
- pilot_roundtrip_ms: what Pilot.press itself takes for the same keys and for a key bound to
  nothing (the harness's own reference, measured in the same run): Pilot waits for the app to
  go idle, so its figures are an upper bound dominated by the harness.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from coder.project.project import Project  # noqa: E402
from coder.store.coder_view import save_position  # noqa: E402
from synthetic import make_project  # noqa: E402

CODER = "bench"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": round(statistics.median(values), 2),
        "p95": round(percentile(values, 0.95), 2),
        "max": round(max(values), 2),
    }


async def measure(folder: Path, transcript: str, presses: int) -> dict[str, object]:
    from coder.tui.app import make_app
    from coder.tui.screens.coding_screen import CodingScreen
    from coder.tui.screens.home_screen import HomeScreen

    with Project.open(folder) as project:
        excerpts = (
            project.store.engine.connect()
            .exec_driver_sql("SELECT count(*) FROM excerpts WHERE transcript_id = ?", (transcript,))
            .scalar_one()
        )
        save_position(project, CODER, transcript, 1)
    started = time.perf_counter()
    app = make_app(folder, coder=CODER)
    clock = KeyClock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        while not isinstance(app.screen, HomeScreen):
            await asyncio.sleep(0.001)
        await pilot.press("enter")  # resume the highlighted (last) transcript
        while not (isinstance(app.screen, CodingScreen) and app.screen.session is not None):
            await asyncio.sleep(0.001)
        await pilot.pause()
        launch_ms = (time.perf_counter() - started) * 1000
        screen = app.screen
        session = screen.session
        assert session is not None
        moves: list[float] = []
        toggles: list[float] = []
        rounds: dict[str, list[float]] = {"toggle": [], "move": [], "unbound_key": []}
        for index in range(presses):
            for key, into, name in (("1", toggles, "toggle"), ("j", moves, "move")):
                begin = time.perf_counter()
                await pilot.press(key)
                rounds[name].append((time.perf_counter() - begin) * 1000)
                into.append(clock.latency_ms())
            begin = time.perf_counter()
            await pilot.press("f12")
            rounds["unbound_key"].append((time.perf_counter() - begin) * 1000)
            if index % 50 == 49:
                await pilot.press("home")
        applied = sum(len(codes) for codes in session.codes.values())
        reading_open: list[float] = []
        reading_move: list[float] = []
        for _ in range(5):  # the full-transcript reading view: open, move, jump to the end
            await pilot.press("T")
            reading_open.append(clock.latency_ms())
            for key in ["j"] * 20 + ["pagedown"] * 5 + ["end"]:
                await pilot.press(key)
                reading_move.append(clock.latency_ms())
            await pilot.press("escape")
    return {
        "transcript": transcript,
        "excerpts": int(excerpts),
        "launch_to_coding_ms": round(launch_ms, 1),
        "toggle_ms": summary(toggles),
        "move_ms": summary(moves),
        "pilot_roundtrip_ms": {name: summary(values) for name, values in rounds.items()},
        "reading_open_ms": summary(reading_open),
        "reading_move_ms": summary(reading_move),
        "codings_in_session": applied,
    }


class KeyClock:
    """Time from the app receiving a key to the first frame painted after it."""

    def __init__(self, app: object) -> None:
        from textual import events

        self.received = 0.0
        self.painted = 0.0
        original_event = app.on_event  # type: ignore[attr-defined]
        original_display = app._display  # type: ignore[attr-defined]

        async def on_event(event: object) -> None:
            if isinstance(event, events.Key) and not event.is_forwarded:
                self.received = time.perf_counter()
                self.painted = 0.0
            await original_event(event)

        def display(screen: object, renderable: object) -> None:
            original_display(screen, renderable)
            if self.received and not self.painted:
                self.painted = time.perf_counter()

        app.on_event = on_event  # type: ignore[attr-defined]
        app._display = display  # type: ignore[attr-defined]

    def latency_ms(self) -> float:
        """Key received -> painted, for the last key."""
        end = self.painted or time.perf_counter()
        return (end - self.received) * 1000


def demo_folder(base: Path) -> Path:
    import os

    from coder.demo import prepare_demo

    os.environ["CODER_DEMO_DIR"] = str(base / "demo")
    return prepare_demo()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="a small synthetic project")
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary)
        size = dict(transcripts=20, excerpts_per_transcript=50, codings_per_coder=1000)
        if not args.small:
            size = dict(transcripts=500, excerpts_per_transcript=200, codings_per_coder=100_000)
        big = 300 if args.small else 3000
        print("building the synthetic project…", file=sys.stderr)
        folder = make_project(base / "synthetic", big_transcript_excerpts=big, **size)  # type: ignore[arg-type]
        manifest = json.loads((folder / "synthetic.json").read_text(encoding="utf-8"))
        big_id = manifest.get("big_transcript") or manifest.get("big_transcript_id")
        presses = min(args.presses, 40) if args.small else args.presses
        print("measuring the synthetic project…", file=sys.stderr)
        synthetic = asyncio.run(measure(folder, str(big_id), presses))
        print("measuring the demo project…", file=sys.stderr)
        demo = asyncio.run(measure(demo_folder(base), "ung01", min(presses, 15)))
    result = {
        "benchmark": "tui",
        "textual": __import__("textual").__version__,
        "synthetic": {**synthetic, "project_excerpts": int(manifest.get("excerpts", 0) or 0)},
        "demo": demo,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "targets": {
            "launch_under_1s": synthetic["launch_to_coding_ms"] < 1000,  # type: ignore[operator]
            "toggle_p95_under_30ms": synthetic["toggle_ms"]["p95"] < 30,  # type: ignore[index]
            "move_p95_under_16ms": synthetic["move_ms"]["p95"] < 16,  # type: ignore[index]
            "reading_open_p95_under_250ms": synthetic["reading_open_ms"]["p95"] < 250,  # type: ignore[index]
            "reading_move_p95_under_16ms": synthetic["reading_move_ms"]["p95"] < 16,  # type: ignore[index]
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
