"""The project store, the only door to the database: SQLAlchemy Core over SQLite.

Only this package imports SQLAlchemy or ``store.schema`` (an import-linter contract says so).
Every other package calls the functions here and gets plain data back: domain objects,
dataclasses, numpy arrays, pandas frames; never a connection, a row or SQL. Every query is
built with Core constructs and bound parameters, never by formatting strings.

Where things are:

- ``store.Store``: the database of one project; owns the engine, read and write transactions
  (``read()``, ``write()``) and the coder-id cache. ``context.ProjectContext`` is what store
  functions take: an open project (root, settings, codebook, store).
- ``database``: opening, pragmas, file modes, migrations; ``schema``: the tables.
- Reads and writes by subject (a new query goes to its subject's module, or a new
  ``<subject>_reads.py`` / ``<subject>_writes.py``):

  ========================  =================================================================
  ``coders``                look up or register a coder
  ``queries``               reads: transcripts, excerpts, codings, memos, ratings, status
  ``coder_view``            reads and position writes for one coder's screens (the TUI)
  ``search``                reads: text search across transcripts
  ``operations``            writes: every change a coder makes (codes, reviews, ratings, memos)
  ``history``               writes: per-coder undo and redo from the events table
  ``importer``              writes: transcripts; ``cases_import``, ``codings_import`` and
                            ``ratings_import`` the CSV imports (``csv_input`` reads the files)
  ``agreement_reads``       reads for agreement: reviews and codings as id arrays, ratings
  ``consensus``             the consensus layer: decisions, excerpt details, decision events
  ``frames``                reads for the exports: tables as pandas frames, one transaction
  ``training_reads``        reads for the suggestion model: labelled and unreviewed excerpts
  ``suggestion_writes``     writes: rejected suggestions, the model's shown claims
  ``refi_snapshot``         reads for a REFI-QDA export: the project in one read transaction
  ``refi_load``             reads and writes for a REFI-QDA import: excerpt ranges, ratings, memos
  ``team_reads``            reads for ``coder team``: a hand-out's tables, one coder's work
  ``team_writes``           writes for ``coder team``: a merge (``TeamWriter``, ``work_change``)
  ``team_copy``             writes for ``coder team join``: a new copy's project tables
  ========================  =================================================================
"""
