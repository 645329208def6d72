"""A throwaway PostgreSQL/PostGIS cluster for the tests.

``initdb`` refuses to run as root (CI runs as root), so as root the cluster belongs to
the unprivileged ``postgres`` user the Debian package creates (commands run through
``runuser``); otherwise to the user running the tests.  It listens on a free port of
127.0.0.1 and on a socket in its own temporary folder; local connections are trusted,
except for the role ``pw_user`` whose password is checked (to test wrong passwords).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PASSWORD_USER = "pw_user"
PASSWORD = "s3cret-Pa55"


def pg_bin() -> Path | None:
    """The folder of ``initdb``/``pg_ctl`` (the newest Debian cluster version), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    exe = shutil.which("initdb")
    return Path(exe).parent if exe else None


def missing_reason() -> str | None:
    """Why no cluster can be started here (None when it can)."""
    b = pg_bin()
    if b is None or not (b / "pg_ctl").exists():
        return "PostgreSQL server binaries not installed (apt-get install postgresql; tools/setup.sh does it)"
    if not glob.glob("/usr/share/postgresql/*/extension/postgis.control"):
        return "PostGIS not installed (apt-get install postgresql-15-postgis-3; tools/setup.sh does it)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and no unprivileged 'postgres' user to own a test cluster"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """``start()``, ``url(schema, db, user)``, ``psql(sql)``, ``stop()``."""

    def __init__(self):
        self.bin = pg_bin()
        self.root = Path(tempfile.mkdtemp(prefix="smartgis-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self.superuser = "postgres" if self.as_root else pwd.getpwuid(os.geteuid()).pw_name
        self.dbname = "city"

    def _run(self, *cmd, check=True, **kw):
        if self.as_root:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        return subprocess.run(cmd, check=check, capture_output=True, text=True, **kw)

    def start(self) -> "Cluster":
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.superuser, "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8" if _has_c_utf8() else "--locale=C")
        hba = (f"local all all trust\n"
               f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n"
               f"host all all 127.0.0.1/32 trust\n")
        self._write(self.data / "pg_hba.conf", hba)
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-t", "60",
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                        f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=40 "
                        f"-c shared_buffers=128MB",
                  "start")
        self.psql(f"CREATE DATABASE {self.dbname}", db="postgres")
        self.psql("CREATE EXTENSION postgis")
        self.psql(f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'")
        return self

    def _write(self, path: Path, text: str) -> None:
        if self.as_root:
            self._run("sh", "-c", f"cat > {path}", input=text)
        else:
            path.write_text(text)

    def psql(self, sql: str, db: str | None = None, user: str | None = None) -> str:
        r = subprocess.run([str(self.bin / "psql"), "-h", str(self.root), "-p", str(self.port),
                            "-U", user or self.superuser, "-d", db or self.dbname, "-v", "ON_ERROR_STOP=1",
                            "-At", "-c", sql], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(r.stderr.strip())
        return r.stdout.strip()

    def url(self, schema: str = "city", user: str | None = None, db: str | None = None, tcp: bool = True) -> str:
        host = "127.0.0.1" if tcp else str(self.root).replace("/", "%2F")
        return f"postgresql://{user or self.superuser}@{host}:{self.port}/{db or self.dbname}?schema={schema}"

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _has_c_utf8() -> bool:
    r = subprocess.run(["locale", "-a"], capture_output=True, text=True)
    return "C.utf8" in r.stdout or "C.UTF-8" in r.stdout


def wait_ready(cluster: Cluster, timeout: float = 30) -> None:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            cluster.psql("SELECT 1")
            return
        except RuntimeError:
            time.sleep(0.2)


try:
    import pytest
except ImportError:  # pragma: no cover - the helper is also usable from benchmarks
    pytest = None

if pytest is not None:
    @pytest.fixture(scope="session")
    def pg():
        """A running throwaway cluster with PostGIS (skipped, with the reason, without one)."""
        reason = missing_reason()
        if reason:
            pytest.skip(reason)
        cluster = Cluster().start()
        try:
            yield cluster
        finally:
            cluster.stop()
