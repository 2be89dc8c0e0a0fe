"""A throw-away PostgreSQL cluster for the tests: initdb in a temporary folder, stopped at the end.

``Cluster.start()`` runs Debian's PostgreSQL (``/usr/lib/postgresql/<N>/bin``, or the folder
``CODER_PG_BIN`` names) on a Unix socket in a fresh folder under /tmp and on a random loopback
port. initdb refuses to run as root, so as root (CI) the cluster's programs run as the
unprivileged ``postgres`` user (``runuser``). The superuser ``postgres`` connects over the socket
without a password; every other role logs in with a password (scram-sha-256), over the socket or
TCP. Durability is switched off: the cluster lives as long as the test session.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

SUPERUSER = "postgres"


def pg_bin() -> Path | None:
    """The folder of PostgreSQL's server programs, or None when none is installed."""
    named = os.environ.get("CODER_PG_BIN")
    if named:
        return Path(named)
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """One running PostgreSQL server; ``url(dbname)`` for coder, ``admin()`` for set-up."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="coder-pg-", dir="/tmp"))  # short socket path
        self.data = self.root / "data"
        self.port = _free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            [*self._as, *args], capture_output=True, text=True, cwd=self.root, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}")

    def start(self) -> Cluster:
        """initdb (once) and start the server; returns self."""
        if not self.data.exists():
            secret = self.root / "superuser-password"
            secret.write_text(secrets.token_hex(16), encoding="utf-8")
            if self._as:
                shutil.chown(secret, "postgres")
            self._run(
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
                f"--pwfile={secret}",
            )
            hba = self.data / "pg_hba.conf"
            # the superuser over the socket without a password; every other role with one
            hba.write_text(
                f"local all {SUPERUSER} trust\n" + hba.read_text(encoding="utf-8"),
                encoding="utf-8",
            )
        options = (
            f"-k {self.root} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
            "-w", "-o", options, "start",
        )  # fmt: skip
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``immediate``: as a crash would)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-m", mode, "stop")

    def remove(self) -> None:
        """Stop the server if it runs and delete the cluster."""
        with contextlib.suppress(RuntimeError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str, user: str = SUPERUSER, *, tcp: bool = False) -> str:
        """A coder URL for ``dbname`` as ``user``, over the Unix socket or TCP on loopback."""
        host = "127.0.0.1" if tcp else str(self.root)
        return f"postgresql+psycopg://{user}@/{dbname}?host={host}&port={self.port}"

    def connect(
        self, dbname: str = "postgres", user: str = SUPERUSER, **extra: str
    ) -> psycopg.Connection:
        """A plain psycopg connection (autocommit) to ``dbname``."""
        return psycopg.connect(
            host=str(self.root), port=self.port, dbname=dbname, user=user, autocommit=True, **extra
        )

    def create_database(self, name: str, template: str | None = None) -> None:
        """``CREATE DATABASE name`` (a copy of ``template``)."""
        with self.connect() as conn:
            if template is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            else:
                conn.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                        sql.Identifier(name), sql.Identifier(template)
                    )
                )

    def drop_database(self, name: str) -> None:
        """``DROP DATABASE name``, ending its connections."""
        with self.connect() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
