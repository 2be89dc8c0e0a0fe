"""Exports for statistics software, and reports (REFI-QDA exchange lives in ``coder.refi``).

- ``formats``: the table of export formats (long, wide, cases, spss, stata, r) -> writer and
  defaults, and ``export(project, format, path, options)``, which the CLI and the TUI call.
- ``long``, ``wide``, ``cases``: the tables, built with pandas from the frames the store reads
  (``coder.store.frames.StoreFrames``); ``unit_matrix`` holds the excerpt x coder matrix wide
  tables and reports share, with each case attribute's value and its source (cases.csv,
  consensus or the coder's own rating); ``naming`` is the one owner of column names; ``table``
  carries names and labels.
  The cases table describes one layer (one coder or the consensus layer) only.
- ``writers``, ``csv_writer``, ``rscript``, ``atomic``: CSV, .sav, .dta and R files, all
  written atomically.
- ``reports``: frequencies, co-occurrence and crosstabs as data frames.

Nothing is imported here, so importing a submodule stays cheap.
"""
