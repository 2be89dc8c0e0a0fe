"""``coder serve`` on the command line: refusals and the warning, and the session cap."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from serve_runner import serve

from support.waiting import poll_until_async

Run = Callable[..., subprocess.CompletedProcess[str]]


def test_another_host_without_the_flag_is_refused(new_project: Path, run_coder: Run) -> None:
    result = run_coder("--project", new_project, "serve", "--host", "0.0.0.0", "--port", "0")
    assert result.returncode == 1
    assert "error: --host 0.0.0.0 would let other machines reach the app" in result.stderr
    assert "--allow-remote" in result.stderr
    assert "Open:" not in result.stdout


def test_allow_remote_warns_before_it_listens(new_project: Path, run_coder: Run) -> None:
    # 192.0.2.1 (TEST-NET-1) is on no interface here: the warning comes, then the bind fails
    result = run_coder(
        "--project", new_project, "serve", "--host", "192.0.2.1", "--allow-remote", "--port", "0"
    )
    assert "WARNING: serving on 192.0.2.1" in result.stderr
    assert "UNENCRYPTED" in result.stderr and "reverse proxy" in result.stderr
    assert "error: cannot listen on 192.0.2.1:0" in result.stderr
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "--port 70000 is not a TCP port"),
        (["--max-sessions", "0"], "--max-sessions 0: allow at least 1 session"),
    ],
)
def test_bad_options_are_refused(
    new_project: Path, run_coder: Run, args: list[str], message: str
) -> None:
    result = run_coder("--project", new_project, "serve", *args)
    assert result.returncode == 1
    assert f"error: {message}" in result.stderr


def test_no_project_no_server(tmp_path: Path, run_coder: Run) -> None:
    result = run_coder("serve", "--port", "0", cwd=tmp_path)
    assert result.returncode != 0
    assert "error:" in result.stderr and "coder.toml" in result.stderr
    assert "Open:" not in result.stdout


@pytest.mark.slow
async def test_sessions_beyond_the_cap_are_refused(new_project: Path, tmp_path: Path) -> None:
    with serve(new_project, tmp_path / "xdg", "--max-sessions", "1") as served:
        ws_url = served.base.replace("http://", "ws://") + f"/ws?token={served.token}"
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(ws_url) as first:
                assert (await first.receive(timeout=60)).type == aiohttp.WSMsgType.BINARY
                with pytest.raises(aiohttp.WSServerHandshakeError) as full:
                    await session.ws_connect(ws_url)
                assert full.value.status == 503

            # the first one closed: there is room again once its app process has quit
            async def connected() -> aiohttp.ClientWebSocketResponse | None:
                try:
                    return await session.ws_connect(ws_url)
                except aiohttp.WSServerHandshakeError as refused:
                    assert refused.status == 503
                    return None

            again = await poll_until_async(connected, "the closed session to make room")
            async with again:
                assert (await again.receive(timeout=60)).type == aiohttp.WSMsgType.BINARY


@pytest.mark.slow
async def test_stopping_the_server_quits_the_open_sessions(
    new_project: Path, tmp_path: Path
) -> None:
    with serve(new_project, tmp_path / "xdg") as served:
        ws_url = served.base.replace("http://", "ws://") + f"/ws?token={served.token}"
        async with aiohttp.ClientSession() as session, session.ws_connect(ws_url) as websocket:
            assert (await websocket.receive(timeout=60)).type == aiohttp.WSMsgType.BINARY
            served.process.send_signal(signal.SIGTERM)  # as Ctrl+C does
            async for _ in websocket:  # the server closes the session
                pass
            await asyncio.to_thread(served.process.wait, 60)  # raises if it does not stop
        assert served.process.returncode == 0
        with pytest.raises(ProcessLookupError):
            os.killpg(served.process.pid, 0)  # no app process of the server is left
