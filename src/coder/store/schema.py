"""The project database schema (SQLAlchemy Core). Bump SCHEMA_VERSION with a migration."""

from __future__ import annotations

import uuid

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    func,
)

SCHEMA_VERSION = 5
"""Version 1: the first schema. Version 2: adds ``positions`` (where each coder left off).
Version 3: adds ``uid`` to memos and events (their identity across copies of a project).
Version 4: ``codings.codebook_version`` (the codebook version a coding was made under).
Version 5: ``code_proposals`` (codes a team's coders propose to the lead)."""


def new_uid() -> str:
    """A global id for a memo or an event: the same row keeps it in every copy of the project."""
    return uuid.uuid4().hex


metadata = MetaData()

cases = Table(
    "cases",
    metadata,
    Column("id", Text, primary_key=True),
    Column("created_at", Text, nullable=False),
)

case_attributes = Table(
    "case_attributes",
    metadata,
    Column("case_id", Text, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("attribute", Text, nullable=False),
    Column("value", Text, nullable=True),
    PrimaryKeyConstraint("case_id", "attribute"),
)

transcripts = Table(
    "transcripts",
    metadata,
    Column("id", Text, primary_key=True),
    Column("case_id", Text, ForeignKey("cases.id"), nullable=True, index=True),
    Column("source_name", Text, nullable=False),
    Column("sha256", Text, nullable=False, index=True),
    Column("format", Text, nullable=False),
    Column("encoding", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("imported_at", Text, nullable=False),
)

excerpts = Table(
    "excerpts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("transcript_id", Text, ForeignKey("transcripts.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("speaker", Text, nullable=True),
    Column("role", Text, nullable=False),
    Column("codable", Boolean, nullable=False),
    Column("start_time", Float, nullable=True),
    Column("end_time", Float, nullable=True),
    Column("text_sha", Text, nullable=False),
    UniqueConstraint("transcript_id", "seq"),
)

coders = Table(
    "coders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("kind", Text, nullable=False, server_default="human"),
    Column("created_at", Text, nullable=False),
)

codings = Table(
    "codings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("excerpt_id", Integer, ForeignKey("excerpts.id", ondelete="CASCADE"), nullable=False),
    Column("code_id", Text, nullable=False),
    Column("coder_id", Integer, ForeignKey("coders.id"), nullable=False),
    Column("origin", Text, nullable=False),
    Column("span_start", Integer, nullable=True),
    Column("span_end", Integer, nullable=True),
    Column("created_at", Text, nullable=False),
    Column("codebook_version", Text, nullable=True),  # None: made before schema version 4
)
Index(
    "ux_codings_identity",
    codings.c.coder_id,
    codings.c.excerpt_id,
    codings.c.code_id,
    func.coalesce(codings.c.span_start, -1),
    func.coalesce(codings.c.span_end, -1),
    unique=True,
)
Index("ix_codings_excerpt", codings.c.excerpt_id)
Index("ix_codings_code", codings.c.code_id)

reviews = Table(
    "reviews",
    metadata,
    Column("coder_id", Integer, ForeignKey("coders.id"), nullable=False),
    Column("excerpt_id", Integer, ForeignKey("excerpts.id", ondelete="CASCADE"), nullable=False),
    Column("reviewed_at", Text, nullable=False),
    PrimaryKeyConstraint("coder_id", "excerpt_id"),
)
Index("ix_reviews_excerpt", reviews.c.excerpt_id)

memos = Table(
    "memos",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("coder_id", Integer, ForeignKey("coders.id"), nullable=False),
    Column("excerpt_id", Integer, ForeignKey("excerpts.id", ondelete="CASCADE"), nullable=True),
    Column("code_id", Text, nullable=True),
    Column("case_id", Text, ForeignKey("cases.id", ondelete="CASCADE"), nullable=True),
    Column("text", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("uid", Text, nullable=True, default=new_uid),
    sqlite_autoincrement=True,
)
Index("ix_memos_excerpt", memos.c.excerpt_id)
Index("ux_memos_uid", memos.c.uid, unique=True)

case_ratings = Table(
    "case_ratings",
    metadata,
    Column("case_id", Text, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("attribute", Text, nullable=False),
    Column("coder_id", Integer, ForeignKey("coders.id"), nullable=False),
    Column("value", Text, nullable=False),
    Column("rated_at", Text, nullable=False),
    PrimaryKeyConstraint("case_id", "attribute", "coder_id"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("coder_id", Integer, ForeignKey("coders.id"), nullable=True),
    Column("at", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("undoable", Boolean, nullable=False, server_default="0"),
    Column("target_event", Integer, nullable=True),
    Column("payload", Text, nullable=False),
    Column("uid", Text, nullable=True, default=new_uid),
    sqlite_autoincrement=True,
)
Index("ix_events_coder", events.c.coder_id, events.c.id)
Index("ux_events_uid", events.c.uid, unique=True)

positions = Table(
    "positions",
    metadata,
    Column("coder_id", Integer, ForeignKey("coders.id"), nullable=False),
    Column("transcript_id", Text, ForeignKey("transcripts.id", ondelete="CASCADE"), nullable=False),
    Column("excerpt_seq", Integer, nullable=False),
    Column("updated_at", Text, nullable=False),
    PrimaryKeyConstraint("coder_id", "transcript_id"),
)

code_proposals = Table(
    "code_proposals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code_id", Text, nullable=False, unique=True),
    Column("coder_id", Integer, ForeignKey("coders.id"), nullable=False),
    Column("labels", Text, nullable=False),  # JSON: language -> label
    Column("parent", Text, nullable=True),
    Column("description", Text, nullable=False, server_default=""),
    Column("hotkey", Text, nullable=True),
    Column("status", Text, nullable=False, server_default="open"),  # accepted merged rejected
    Column("decided_into", Text, nullable=True),
    Column("created_at", Text, nullable=False),
    Column("decided_at", Text, nullable=True),
)

V1_TABLES = (
    cases,
    case_attributes,
    transcripts,
    excerpts,
    coders,
    codings,
    reviews,
    memos,
    case_ratings,
    events,
)
"""The tables of schema version 1, for migration tests."""
