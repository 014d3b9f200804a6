"""Fixtures for the official `mem0` CLI (mem0-cli 0.2.13) against `memport serve`: a fresh
server per session, and a runner that calls the real CLI with a temporary HOME, telemetry off,
and MEM0_BASE_URL / MEM0_API_KEY pointing at the server (the CLI's own settings, unchanged)."""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import uuid

import httpx
import pytest

KEY = "cli-conformance-key"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@pytest.fixture(scope="session")
def server():
    binary = os.environ.get("MEMPORT_BIN", ".build/debug/memport")
    tmp = tempfile.mkdtemp(prefix="memport-cli-conformance-")
    # The server's stderr goes to a file: a pipe nobody reads would stall it once full.
    log = open(os.path.join(tmp, "serve.stderr"), "w+")
    proc = subprocess.Popen(
        [binary, "serve", "--db", os.path.join(tmp, "memport.db"), "--port", "0", "--api-key", KEY],
        stdout=subprocess.PIPE, stderr=log, text=True)
    url = proc.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        log.seek(0)
        pytest.fail(f"memport serve printed {url!r}: {log.read()}")
    yield url
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=20)
    log.close()
    shutil.rmtree(tmp, ignore_errors=True)
    assert code == 0, "memport serve must exit cleanly on SIGTERM"


@pytest.fixture(scope="session")
def home():
    """The CLI's HOME: it writes ~/.mem0/config.json and rewrites MEM0_API_KEY in shell rc files."""
    path = tempfile.mkdtemp(prefix="memport-cli-home-")
    # A shell profile with a key in it: the CLI must not be able to reach the real one.
    with open(os.path.join(path, ".bashrc"), "w") as f:
        f.write("export MEM0_API_KEY=untouched\n")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def cli(server, home):
    return Cli(server, home)


@pytest.fixture(scope="session")
def api(server):
    """Direct HTTP to the server, to check what each CLI command did."""
    with httpx.Client(base_url=server, headers={"Authorization": f"Token {KEY}"}, timeout=30) as client:
        yield client


@pytest.fixture()
def uid():
    return uuid.uuid4().hex[:10]


class Cli:
    """Runs the real `mem0` executable of this venv."""

    def __init__(self, server, home):
        self.server = server
        self.home = home
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEM0_")}
        env.update({
            "HOME": home,
            "MEM0_TELEMETRY": "false",
            "MEM0_BASE_URL": server,
            "MEM0_API_KEY": KEY,
            "NO_COLOR": "1",
            "TERM": "dumb",
            "COLUMNS": "250",
        })
        self.env = env

    def run(self, *args, check=True, input=None):
        proc = subprocess.run(
            ["mem0", *args], env=self.env, capture_output=True, text=True, timeout=120,
            input=input, stdin=None if input is not None else subprocess.DEVNULL)
        if check:
            assert proc.returncode == 0, (
                f"mem0 {' '.join(args)} exited {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}")
        return proc

    def json(self, *args, check=True):
        """A command's JSON on stdout (`-o json` or the `--json` agent envelope)."""
        proc = self.run(*args, check=check)
        text = ANSI.sub("", proc.stdout).strip()
        assert text, f"mem0 {' '.join(args)} printed nothing on stdout; stderr: {proc.stderr}"
        return json.loads(text)

    def agent(self, *args, check=True):
        """The agent envelope of `mem0 --json ...`."""
        envelope = self.json("--json", *args, check=check)
        assert isinstance(envelope, dict) and "status" in envelope, envelope
        return envelope
