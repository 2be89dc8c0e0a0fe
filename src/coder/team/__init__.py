"""Team work without a server: hand out a project to a coder, take their work back, merge it.

- ``pack_file``: the ``.coderpack`` container (a zip of JSON lines, optionally sealed with
  AES-256-GCM under a scrypt key), written 0600 and atomically.
- ``pack``: what a pack holds (manifest, project files, tables, one coder's work).
- ``handout`` / ``join``: the lead writes a coder's pack; the coder opens it as a project.
- ``team_return``: the coder writes their work back; ``merge``: the lead merges returns.

SQL stays in ``coder.store`` (``team_reads``, ``team_writes``); this package handles files,
checks and the plan of a merge.
"""
