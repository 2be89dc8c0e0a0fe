"""``ConsensusLayer``: the consensus as a complete dataset, derived when an export reads it.

The ``consensus`` coder's own rows hold only what the lead decided. An analyst who exports the
consensus wants every excerpt the compared coders (the *panel*: the coders named by the latest
decision) all reviewed, with, per code:

- the lead's decision where there is one (apply: 1, do not apply: 0);
- else the coders' common answer where they all agree (all applied: 1, none applied: 0);
- else *undecided*: a disagreement nobody has decided yet, which is missing data, never 0.

Excerpts the consensus coder coded or reviewed outside that (codings imported with coder
``consensus``) count as the layer's own observations. Case ratings follow the same rule: the
consensus rating where the lead gave one, else the rating every panel coder gave alike.
The layer is derived at read time, so it follows the coders' later changes; nothing is copied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from coder.export.coder_selection import CONSENSUS, CoderRecord

if TYPE_CHECKING:
    from coder.store.consensus_log import ConsensusLog
    from coder.store.frames import StoreFrames

PAIR = ["excerpt_id", "code_id"]


@dataclass(frozen=True, slots=True, eq=False)
class ConsensusLayer:
    """The derived consensus: its observed excerpts, present and undecided codes, ratings."""

    panel: tuple[str, ...]
    """The compared coders whose agreement fills the layer (empty: only its own rows)."""
    units: pd.DataFrame
    """excerpt_id: every excerpt the layer covers."""
    present: pd.DataFrame
    """excerpt_id, code_id: the code applies (decided, or agreed by the whole panel)."""
    undecided: pd.DataFrame
    """excerpt_id, code_id: the panel disagrees and nobody has decided: missing data."""
    ratings: pd.DataFrame
    """case, attribute, value: the consensus rating, else the panel's common rating."""
    notes: dict[int, str]
    """Excerpt id -> the lead's notes on its decisions, ``code: note`` joined by ``; ``."""

    @classmethod
    def read(
        cls, frames: StoreFrames, everyone: Sequence[CoderRecord], codes: Sequence[str]
    ) -> ConsensusLayer:
        """Derive the layer from the store (inside ``frames``' read transaction)."""
        by_name = {coder.name: coder for coder in everyone}
        own = by_name[CONSENSUS]
        log = frames.consensus_log()
        panel = [by_name[name] for name in log.panel if name in by_name and name != CONSENSUS]
        own_units = frames.units([own.id])[["excerpt_id"]]
        own_codes = frames.codings([own.id], details=False)[PAIR].drop_duplicates()
        wanted = pd.Index(list(codes))
        full, agreed, split = _panel_answers(frames, [c.id for c in panel])
        decided = pd.DataFrame(
            [(e, c, d.apply) for (e, c), d in log.decisions.items()],
            columns=[*PAIR, "apply"],
        )
        rejected = decided.loc[~decided["apply"].astype(bool), PAIR]
        present = _minus(pd.concat([agreed, own_codes]).drop_duplicates(), rejected)
        undecided = _minus(_minus(split, decided[PAIR]), own_codes)
        units = pd.concat([full, own_units]).drop_duplicates().reset_index(drop=True)
        return cls(
            tuple(c.name for c in panel),
            units,
            present[present["code_id"].isin(wanted)].reset_index(drop=True),
            undecided[undecided["code_id"].isin(wanted)].reset_index(drop=True),
            _ratings(frames.ratings(), own.id, [c.id for c in panel]),
            _notes(log, codes),
        )


def consensus_ratings(
    frames: StoreFrames, everyone: Sequence[CoderRecord], ratings: pd.DataFrame
) -> pd.DataFrame:
    """Only the layer's ratings (case, attribute, value): cheap, for exports of other coders."""
    by_name = {coder.name: coder for coder in everyone}
    log = frames.consensus_log()
    panel = [by_name[name].id for name in log.panel if name in by_name and name != CONSENSUS]
    return _ratings(ratings, by_name[CONSENSUS].id, panel)


def _notes(log: ConsensusLog, codes: Sequence[str]) -> dict[int, str]:
    """Per excerpt, its decisions' notes in codebook order."""
    order = {code: index for index, code in enumerate(codes)}
    found: dict[int, list[tuple[int, str]]] = {}
    for (excerpt, code), decision in log.decisions.items():
        if decision.note and code in order:
            found.setdefault(excerpt, []).append((order[code], f"{code}: {decision.note}"))
    return {
        excerpt: "; ".join(text for _, text in sorted(items)) for excerpt, items in found.items()
    }


def _minus(frame: pd.DataFrame, remove: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``frame`` whose (excerpt_id, code_id) is not in ``remove``."""
    if frame.empty or remove.empty:
        return frame.reset_index(drop=True)
    keys = pd.MultiIndex.from_frame(frame[PAIR])
    drop = pd.MultiIndex.from_frame(remove[PAIR].astype({"excerpt_id": "int64"}))
    return frame[~keys.isin(drop)].reset_index(drop=True)


def _panel_answers(
    frames: StoreFrames, panel: list[int]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Excerpts the whole panel observed; (excerpt, code) pairs all applied; pairs some did."""
    empty = pd.DataFrame({"excerpt_id": pd.Series(dtype="int64")})
    none = pd.DataFrame(
        {"excerpt_id": pd.Series(dtype="int64"), "code_id": pd.Series(dtype=object)}
    )
    if not panel:
        return empty, none, none
    pairs = frames.units(panel)
    seen = pairs.groupby("excerpt_id")["coder_id"].nunique()
    full = seen[seen == len(panel)].index
    coded = frames.codings(panel, details=False)
    coded = coded[coded["excerpt_id"].isin(full)].drop_duplicates()
    counts = coded.groupby(PAIR)["coder_id"].nunique().reset_index(name="n")
    agreed = counts.loc[counts["n"] == len(panel), PAIR]
    split = counts.loc[counts["n"] < len(panel), PAIR]
    return pd.DataFrame({"excerpt_id": full.to_numpy(dtype="int64")}), agreed, split


def _ratings(ratings: pd.DataFrame, own: int, panel: list[int]) -> pd.DataFrame:
    """The consensus rating per (case, attribute), else the whole panel's common rating."""
    columns = ["case", "attribute", "value"]
    explicit = ratings.loc[ratings["coder_id"] == own, columns] if len(ratings) else None
    found = [] if explicit is None else [explicit]
    if panel and len(ratings):
        mine = ratings[ratings["coder_id"].isin(panel)]
        grouped = mine.groupby(["case", "attribute"])["value"].agg(["nunique", "count", "first"])
        common = grouped[(grouped["nunique"] == 1) & (grouped["count"] == len(panel))]
        common = common.reset_index().rename(columns={"first": "value"})[columns]
        found.append(common)
    if not found:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    merged = pd.concat(found, ignore_index=True)
    return merged.drop_duplicates(["case", "attribute"], keep="first").reset_index(drop=True)
