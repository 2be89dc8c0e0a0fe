"""``coder serve`` address rules: loopback by default, anything else only when asked, warned."""

from __future__ import annotations

import pytest

from coder.errors import CoderError
from coder.serve.access import TokenGate, new_token
from coder.serve.launch import check_host, check_port, is_loopback
from coder.serve.server import session_command


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"])
def test_loopback_needs_no_flag_and_prints_no_warning(host: str) -> None:
    assert is_loopback(host)
    assert check_host(host, allow_remote=False) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "coder.example.org"])
def test_another_host_is_refused_without_the_flag(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(CoderError, match="--allow-remote"):
        check_host(host, allow_remote=False)
    warning = check_host(host, allow_remote=True)
    assert warning is not None
    assert host in warning and "UNENCRYPTED" in warning and "TLS" in warning
    assert "SSH tunnel" in warning


def test_an_empty_host_and_bad_ports_are_refused() -> None:
    with pytest.raises(CoderError, match="--host is empty"):
        check_host(" ", allow_remote=True)
    for port in (-1, 65536):
        with pytest.raises(CoderError, match="not a TCP port"):
            check_port(port)
    assert check_port(0) == 0 and check_port(65535) == 65535


def test_tokens_are_long_random_and_a_short_one_is_refused() -> None:
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50 and all(len(token) >= 40 for token in tokens)
    with pytest.raises(ValueError):
        TokenGate("short", cookie_name="c")


def test_the_session_command_quotes_the_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shlex

    folder = tmp_path / "my project; rm -rf ~"
    words = shlex.split(session_command(folder))
    assert words[-3:] == ["-m", "coder.tui.web_session", str(folder)]
