"""Suggestions never touch the network: everything runs with sockets blocked.

The check runs in a fresh interpreter so that spaCy and its dependencies are imported for the
first time while ``socket.socket`` is replaced by a class whose every way of reaching another
host (``connect``, ``connect_ex``, ``sendto``) raises, and name lookups and
``socket.create_connection`` raise too. Any attempt to download a pipeline or phone home is
recorded and fails the test. (Creating a socket object is allowed: urllib3, imported by spaCy's
CLI, probes for IPv6 support at import time by binding one to ``::1`` without sending anything.)
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from support.processes import run_python

SCRIPT = textwrap.dedent(
    """
    import socket, sys

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access blocked by the test")

    class Blocked(socket.socket):
        connect = connect_ex = sendto = refuse

    socket.socket = Blocked
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    socket.gethostbyname = refuse

    from coder.domain.codebook import Code, Codebook
    from coder.suggest import Suggester
    from coder.suggest.model import Example, SuggestModel

    book = Codebook("t", "1", ("nb",), (
        Code("bully", {"nb": "Mobbing"}, indicators={"nb": ("mobbing",)}),
        Code("school", {"nb": "Skole"}),
    ))
    # a pipeline name that is not installed: must fall back to blank, not download
    suggester = Suggester(book, "nb", pipeline="nb_core_news_sm")
    assert suggester.analyser.info.source == "blank", suggester.analyser.info
    texts = [f"jeg ble mobbet {i}" if i % 2 else f"skolen var fin {i}" for i in range(40)]
    labels = [{"bully"} if i % 2 else {"school"} for i in range(40)]
    examples = [Example(a, frozenset(l), group=i) for i, (a, l) in
                enumerate(zip(suggester.analyser.analyse_all(texts), labels))]
    suggester.model = SuggestModel.train(examples, ["bully", "school"], suggester.analyser.matcher.codes)
    found = suggester.suggest("Mobbingen på skolen var ille.")
    assert found and found[0].above_threshold, found
    print("OK", len(found), "attempts", len(attempts), sorted({s.code_id for s in found}))
    """
)


def test_suggestions_run_with_sockets_blocked(tmp_path: Path) -> None:
    result = run_python(SCRIPT, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK"), result.stdout
    assert "attempts 0" in result.stdout  # nothing even tried to reach another host
