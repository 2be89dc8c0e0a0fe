"""Command-line plug-ins: one module per area (agreement, export, ...).

Each module defines ``register(commands: argparse._SubParsersAction) -> None`` and adds its
commands with ``coder.cli.add_command``. Modules here must import only the standard library at
module level (heavy imports go inside the handlers) so `coder --help` stays fast. ``coder.cli``
discovers them by listing this folder.
"""
