"""Code proposals: a team's coder proposes a code; the lead accepts, merges or rejects it.

``propose_code`` records it (``coder.store.code_proposals``) and shows it in the proposer's
codebook at once (``Project.show_proposals_of``), with a free key, so it can be applied while
coding. ``accept``, ``merge`` and ``reject`` are the lead's decisions: accepting writes the
code into the YAML under the same id (its codings stay), merging moves its codings into an
existing code, rejecting removes them (the event keeps them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from coder.domain.codebook import Code, Codebook
from coder.errors import CoderError

if TYPE_CHECKING:
    from coder.project.project import Project
    from coder.store.code_proposals import CodeProposal


def with_proposals(project: Project, codebook: Codebook, coder: str) -> Codebook:
    """``codebook`` plus ``coder``'s open proposals as codes (after the file's codes)."""
    from coder.store.code_proposals import list_proposals

    extra = [
        Code(
            id=found.code_id,
            label=dict(found.labels),
            parent=found.parent if found.parent and codebook.has_code(found.parent) else None,
            description=found.description,
            hotkey=found.hotkey if found.hotkey and not codebook.by_hotkey(found.hotkey) else None,
        )
        for found in list_proposals(project, coder=coder)
        if not codebook.has_code(found.code_id)
    ]
    return replace(codebook, codes=codebook.codes + tuple(extra)) if extra else codebook


def propose_code(
    project: Project,
    coder: str,
    labels: Mapping[str, str],
    parent: str | None,
    description: str = "",
) -> Code:
    """Record ``coder``'s proposal and show it in their codebook; returns it as a code."""
    from coder.project.codebook_editor import CodebookEditor
    from coder.store.code_proposals import add_proposal

    labels = {lang: text.strip() for lang, text in labels.items() if text.strip()}
    if not labels:
        raise CoderError("a proposed code needs a label")
    editor = CodebookEditor(project, coder)
    if parent is not None:
        editor.code(parent)
    code_id = editor.new_id(next(iter(labels.values())), parent)
    add_proposal(project, coder, code_id, labels, parent, description.strip(), editor.free_hotkey())
    project.show_proposals_of(coder)
    return project.codebook.code(code_id)


def _open(project: Project, proposal_id: int) -> CodeProposal:
    from coder.store.code_proposals import proposal

    found = proposal(project, proposal_id)
    if found.status != "open":
        raise CoderError(f"code proposal {proposal_id} is {found.status} already")
    return found


def accept(project: Project, lead: str, proposal_id: int, parent: str | None = None) -> Code:
    """Write the proposed code into the codebook (same id: its codings stay)."""
    from coder.project.codebook_editor import CodebookEditor

    found = _open(project, proposal_id)
    target_parent = parent if parent is not None else found.parent
    if target_parent is not None and not project.codebook.has_code(target_parent):
        target_parent = None
    return CodebookEditor(project, lead).add(
        found.labels,
        code_id=found.code_id,
        parent=target_parent,
        description=found.description,
        accepts=found.id,
    )


def merge(project: Project, lead: str, proposal_id: int, into: str) -> int:
    """Move the proposal's codings into the existing code ``into``; returns how many."""
    from coder.project.codebook_editor import CodebookEditor
    from coder.store.code_proposals import close_proposal

    found = _open(project, proposal_id)
    CodebookEditor(project, lead).active_code(into, "merge target")
    return close_proposal(project, lead, found, "merged", into=into)


def reject(project: Project, lead: str, proposal_id: int) -> int:
    """Close the proposal and remove its codings (kept in the event); returns how many."""
    from coder.store.code_proposals import close_proposal

    return close_proposal(project, lead, _open(project, proposal_id), "rejected")
