"""``coder suggest``: train, evaluate and try the code suggestions of a project.

Standard library only at module level (``coder --help`` stays fast); everything else is imported
inside the handler.
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(commands: Any) -> None:
    """Add ``coder suggest`` to the CLI."""
    from coder.cli.common import add_command

    sub = add_command(
        commands,
        "suggest",
        handle,
        "code suggestions: train the model, evaluate it, or suggest codes for a text",
    )
    mode = sub.add_mutually_exclusive_group()
    mode.add_argument(
        "--evaluate",
        action="store_true",
        help="cross-validate on reviewed excerpts; print micro/macro/per-code P, R, F1 "
        "next to indicators alone",
    )
    mode.add_argument("--train", action="store_true", help="train and save the model now")
    mode.add_argument("--text", help="suggest codes for this text")
    mode.add_argument("--excerpt", type=int, metavar="ID", help="suggest codes for an excerpt")
    sub.add_argument("--folds", type=int, default=5, help="folds for --evaluate (default 5)")
    sub.add_argument("--seed", type=int, default=0, help="fold assignment seed (default 0)")
    sub.add_argument(
        "--coder",
        metavar="NAME",
        help="learn from this coder ('consensus': the consensus layer; default: all coders)",
    )
    sub.add_argument("--limit", type=int, default=10, help="suggestions to print (default 10)")
    sub.add_argument("--json", action="store_true", help="print JSON")


def _out(text: str = "") -> None:
    print(text, flush=True)


def handle(args: argparse.Namespace) -> int:
    """Run ``coder suggest``."""
    from coder.cli.common import open_project

    with open_project(args) as project:
        if args.evaluate:
            return _evaluate(project, args)
        if args.train:
            return _train(project, args)
        if args.text is not None or args.excerpt is not None:
            return _suggest(project, args)
        return _status(project, args)


def _progress_bar(label: str) -> Any:
    from rich.console import Console
    from rich.progress import Progress

    return Progress(console=Console(stderr=True), transient=True), label


def _evaluate(project: Any, args: argparse.Namespace) -> int:
    from coder.errors import CoderError
    from coder.suggest.model_training import evaluate_project
    from coder.suggest.training_data import check_source

    if args.folds < 2:
        raise CoderError(f"--folds must be at least 2, not {args.folds}")
    check_source(project, args.coder)

    bar, label = _progress_bar("Cross-validating")
    with bar:
        task = bar.add_task(label, total=args.folds)
        report = evaluate_project(
            project,
            source=args.coder,
            folds=args.folds,
            seed=args.seed,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    data = report.to_dict()
    if args.json:
        _out(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    ind = data["indicators_only"]
    _out(
        f"Cross-validated suggestions: {data['folds']} folds, {data['examples']} reviewed "
        f"excerpts, source {data['source']}, pipeline {data['pipeline']['name']}"
    )
    _out(f"{'':<28}{'model + indicators':>26}   {'indicators alone':>24}")
    _out(f"{'':<28}{'P':>8}{'R':>8}{'F1':>8}   {'P':>8}{'R':>8}{'F1':>8}   support")
    for key in ("micro", "macro"):
        _out(f"{key:<28}{_prf(data[key])}   {_prf(ind[key])}")
    for code, row in data["per_code"].items():
        _out(f"  {code:<26}{_prf(row)}   {_prf(ind['per_code'][code])}   {row['support']:>7}")
    return 0


def _prf(row: dict[str, Any]) -> str:
    return f"{row['precision']:>8.3f}{row['recall']:>8.3f}{row['f1']:>8.3f}"


def _train(project: Any, args: argparse.Namespace) -> int:
    from coder.suggest.model_training import train_project_model
    from coder.suggest.training_data import check_source

    check_source(project, args.coder)

    bar, label = _progress_bar("Training")
    with bar:
        task = bar.add_task(label, total=1)
        result = train_project_model(
            project,
            source=args.coder,
            progress=lambda step, done, total: bar.update(
                task, completed=done, total=total, description=f"Training: {step}"
            ),
        )
    meta = result.meta
    if args.json:
        _out(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0
    _out(
        f"Trained on {meta['examples']} examples ({meta['excerpts']} excerpts, source "
        f"{meta['source']}) in {meta['seconds']:.1f} s; saved to {result.folder}"
    )
    modelled = meta["modelled_codes"]
    _out(
        f"Model for {len(modelled)} codes; indicators alone for {len(meta['indicator_only_codes'])}"
    )
    if meta["scores"]:
        _out(
            f"Out-of-fold F1: micro {meta['scores']['micro']['f1']:.3f}, "
            f"macro {meta['scores']['macro']['f1']:.3f}"
        )
    return 0


def _suggest(project: Any, args: argparse.Namespace) -> int:
    from coder.suggest.suggester import Suggester

    text = args.text
    if args.excerpt is not None:
        from coder.store.queries import excerpt_text

        text = excerpt_text(project, args.excerpt)
    suggester = Suggester.for_project(project)
    found = suggester.suggest(text, limit=args.limit)
    if args.json:
        _out(json.dumps([s.to_dict() for s in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        _out("No suggestions.")
    for s in found:
        mark = "*" if s.above_threshold else " "
        label = project.codebook.code(s.code_id).label_in(
            project.codebook.label_language(project.settings.language)
        )
        _out(
            f"{mark} {s.code_id:<28} {s.score:.2f} (threshold {s.threshold:.2f}, "
            f"{'+'.join(s.sources)})  {label}"
        )
        words = sorted({(r.start, r.end, r.text) for r in s.reasons})
        if words:
            _out("    because: " + ", ".join(f"{w!r} [{a}-{b}]" for a, b, w in words))
    return 0


def _status(project: Any, args: argparse.Namespace) -> int:
    from coder.suggest.model_folder import ModelFolder

    meta = ModelFolder(project.root).meta()
    if args.json:
        _out(json.dumps({"model": meta}, ensure_ascii=False, indent=2))
        return 0
    if meta is None:
        _out("No suggestion model trained yet; suggestions come from the codebook's indicators.")
        _out("Train one with `coder suggest --train` once some excerpts are coded.")
        return 0
    _out(
        f"Model trained {meta['trained_at']} on {meta['examples']} examples "
        f"(source {meta['source']}, codebook {meta['codebook']['version']})"
    )
    _out(f"Codes with a model: {', '.join(meta['modelled_codes']) or 'none'}")
    withheld = (meta.get("measured") or {}).get("withheld") or []
    if withheld:
        _out(
            f"No suggestions (held out, no better than chance; see `coder agree`): "
            f"{', '.join(withheld)}"
        )
    return 0
