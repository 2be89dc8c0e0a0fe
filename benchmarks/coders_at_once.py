"""Benchmark and check: N coder processes coding one project at once; prints one JSON object.

Each coder is its own process (named ``c1`` ... ``cN``) working on the project at ``--project``
(its database: the SQLite file, or the server ``CODER_DATABASE_URL`` / ``[store] url`` names).
With ``--roles`` each coder connects as their own PostgreSQL role (``coder server add-coder``
is run for them first; password ``CODER_ROLE_PASSWORD``), so row-level security is in force.
A coder applies codes to excerpts in a shuffled order and removes every fifth one again, as
fast as the database lets it, and writes every action to its log after the call returned (the
commit is done by then). When a call fails the coder shows the message (it is counted and kept)
and does the same action again until it succeeds, as a person would.

At the end the database must hold exactly the codings the logs say: ``lost`` counts logged
codings that are missing, ``extra`` codings no log explains. Options:

- ``--kill K``: SIGKILL K coders half way; what they logged must still be there;
- ``--restart CMD``: run CMD (restarting the server) half way; coders see a clear message,
  then their next action succeeds.

Usage::

    python benchmarks/coders_at_once.py --project DIR [--coders 8] [--seconds 60] [--roles]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import selectors
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CODE_EVERY_REMOVE = 5


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of ``values`` (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def worker(root: Path, name: str, log_path: Path, seconds: float, seed: int) -> None:
    """One coder: wait for ``go`` on stdin, act until the time is up, print a JSON summary."""
    from coder.errors import CoderError
    from coder.project.project import Project
    from coder.store import operations as ops
    from coder.store.queries import list_transcripts, load_excerpts

    project = Project.open(root)
    excerpts = [e.id for t in list_transcripts(project) for e in load_excerpts(project, t.id)
                if e.codable]  # fmt: skip
    codes = [code.id for code in project.codebook.codable_codes]
    pairs = [(e, c) for e in excerpts for c in codes[:6]]
    random.Random(seed).shuffle(pairs)
    print("ready", flush=True)
    sys.stdin.readline()
    log = log_path.open("a", encoding="utf-8")
    shown: list[str] = []
    latencies: list[float] = []
    done = 0
    deadline = time.monotonic() + seconds
    applied: list[tuple[int, str]] = []
    while time.monotonic() < deadline and done < len(pairs):
        if done % CODE_EVERY_REMOVE == CODE_EVERY_REMOVE - 1 and applied:
            kind, (excerpt, code) = "r", applied.pop(0)
        else:
            kind, (excerpt, code) = "a", pairs[done]
        log.write(f"? {kind} {excerpt} {code}\n")  # intended: in flight if the process dies
        log.flush()
        while True:
            started = time.perf_counter()
            try:
                if kind == "a":
                    ops.apply_code(project, name, excerpt, code)
                else:
                    ops.remove_code(project, name, excerpt, code)
            except CoderError as exc:
                shown.append(str(exc))
                if time.monotonic() > deadline + 60:
                    raise
                time.sleep(0.2)  # a person reads the message, then tries again
                continue
            latencies.append(time.perf_counter() - started)
            break
        log.write(f"{kind} {excerpt} {code}\n")
        log.flush()
        if kind == "a":
            applied.append((excerpt, code))
        done += 1
    log.close()
    project.close()
    print(json.dumps({"coder": name, "actions": done, "shown": shown,
                      "p50_ms": percentile(latencies, 0.5) * 1000,
                      "p95_ms": percentile(latencies, 0.95) * 1000}), flush=True)  # fmt: skip


Coding = tuple[int, str]


def expected(log_path: Path) -> tuple[set[Coding], set[Coding]]:
    """The codings a coder's log leaves in place, and the same with the action in flight when
    the process died done too (its commit may or may not have happened)."""
    state: set[Coding] = set()
    pending: tuple[str, Coding] | None = None
    if log_path.exists():
        for line in log_path.read_text(encoding="utf-8").splitlines():
            parts = line.split(" ")
            if parts[0] == "?":
                pending = (parts[1], (int(parts[2]), parts[3]))
                continue
            pending = None
            (state.add if parts[0] == "a" else state.discard)((int(parts[1]), parts[2]))
    other = set(state)
    if pending is not None:
        (other.add if pending[0] == "a" else other.discard)(pending[1])
    return state, other


def stored(root: Path) -> dict[str, set[Coding]]:
    """Coder name -> their codings, as the database (read with the project's own URL) holds."""
    from coder.project.project import Project
    from coder.store.queries import find_codings

    found: dict[str, set[Coding]] = {}
    with Project.open(root) as project:
        for row in find_codings(project):
            found.setdefault(row.coder, set()).add((row.excerpt_id, row.code_id))
    return found


def _environment(root: Path, name: str, roles: bool) -> dict[str, str]:
    env = {**os.environ, "PYTHONUTF8": "1"}
    if roles:
        from sqlalchemy.engine import make_url

        from coder.project.config import load_settings

        url = os.environ.get("CODER_DATABASE_URL") or load_settings(root).store.url
        assert url, "--roles needs a PostgreSQL URL"
        env["CODER_DATABASE_URL"] = make_url(url).set(username=name).render_as_string(False)
        env["PGPASSWORD"] = os.environ["CODER_ROLE_PASSWORD"]
    return env


def _wait_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise RuntimeError("a coder process did not answer")
    return process.stdout.readline()


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Start the coders, let them work, kill or restart half way, check what is stored."""
    root: Path = args.project.resolve()
    names = [f"c{number}" for number in range(1, args.coders + 1)]
    if args.roles:
        from coder.project.project import Project
        from coder.store.roles import add_coder

        with Project.open(root) as project:
            for name in names:
                add_coder(project.store, name, password=os.environ["CODER_ROLE_PASSWORD"])
    logs = root / ".coder" / "team-logs"
    logs.mkdir(parents=True, exist_ok=True)
    processes = {
        name: subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--worker",
                name,
                "--project",
                str(root),
                "--seconds",
                str(args.seconds),
                "--seed",
                str(args.seed + number),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=_environment(root, name, args.roles),
        )  # fmt: skip
        for number, name in enumerate(names)
    }
    for process in processes.values():
        if _wait_line(process, 120).strip() != "ready":
            raise RuntimeError("a coder process failed to start")
    started = time.monotonic()
    for process in processes.values():
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    killed = names[: args.kill]
    restarted = False
    if args.kill or args.restart:
        time.sleep(args.seconds / 2)
        for name in killed:
            processes[name].send_signal(signal.SIGKILL)
        if args.restart:
            # no pipes: the restarted server inherits them, and a pipe it holds never closes
            quiet = subprocess.DEVNULL
            subprocess.run(shlex.split(args.restart), check=True, stdout=quiet, stderr=quiet)
            restarted = True
    summaries: dict[str, Any] = {}
    for name, process in processes.items():
        out, _ = process.communicate(timeout=args.seconds + 180)
        if name not in killed:
            if process.returncode != 0:
                raise RuntimeError(f"coder {name} failed (exit {process.returncode})")
            summaries[name] = json.loads(out.strip().splitlines()[-1])
    elapsed = time.monotonic() - started
    held = stored(root)
    lost = extra = 0
    for name in names:
        (want, maybe), have = expected(logs / name), held.get(name, set())
        if have == maybe:
            want = maybe  # the action in flight when the coder was killed did commit
        lost += len(want - have)
        extra += len(have - want)
    actions = sum(s["actions"] for s in summaries.values())
    shown = [message for s in summaries.values() for message in s["shown"]]
    return {
        "benchmark": "coders_at_once",
        "coders": args.coders,
        "seconds": round(elapsed, 1),
        "roles": bool(args.roles),
        "actions": actions,
        "actions_per_s": round(actions / elapsed, 1),
        "p95_ms_worst": round(max((s["p95_ms"] for s in summaries.values()), default=0), 2),
        "killed": killed,
        "restarted": restarted,
        "lost": lost,
        "extra": extra,
        "errors_shown": len(shown),
        "messages": sorted(set(shown))[:10],
    }


def main(argv: list[str] | None = None) -> int:
    """Parse arguments; run a coder (``--worker``) or the whole team."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--coders", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--roles", action="store_true", help="each coder their own role")
    parser.add_argument("--kill", type=int, default=0, help="SIGKILL this many coders half way")
    parser.add_argument("--restart", default="", help="command restarting the server half way")
    parser.add_argument("--worker", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        log = args.project / ".coder" / "team-logs" / args.worker
        worker(args.project, args.worker, log, args.seconds, args.seed)
        return 0
    print(json.dumps(run(args), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
