"""Fixtures for the mem0ai SDK conformance suite: a fresh `memport serve` per session and
an adapter that calls each SDK version the way that version expects to be called."""

import importlib.metadata
import os
import signal
import subprocess
import tempfile
import time
import uuid

import httpx
import pytest
from mem0 import MemoryClient

KEY = "conformance-key"
OTHER_KEY = "conformance-other"
OTHER_PROJECT = ("org-two", "proj-two")
SDK = tuple(int(p) for p in importlib.metadata.version("mem0ai").split(".")[:3])


@pytest.fixture(scope="session")
def server():
    binary = os.environ.get("MEMPORT_BIN", ".build/debug/memport")
    tmp = tempfile.mkdtemp(prefix="memport-conformance-")
    proc = subprocess.Popen(
        [binary, "serve", "--db", os.path.join(tmp, "memport.db"), "--port", "0",
         "--api-key", KEY, "--api-key", f"{OTHER_KEY}={OTHER_PROJECT[0]}/{OTHER_PROJECT[1]}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), f"memport serve printed {url!r}: {proc.stderr.read()}"
    yield url
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0, "memport serve must exit cleanly on SIGTERM"


@pytest.fixture(scope="session")
def client(server):
    return MemoryClient(api_key=KEY, host=server)


@pytest.fixture()
def api(client):
    return Api(client)


@pytest.fixture()
def uid():
    return uuid.uuid4().hex[:10]


def results(answer):
    """The list inside any list answer: a bare list, {"results"} or the paginated envelope."""
    if isinstance(answer, list):
        return answer
    assert isinstance(answer, dict) and "results" in answer, answer
    return answer["results"]


class Api:
    """Calls a MemoryClient the way its SDK version wants, and returns plain lists."""

    def __init__(self, client):
        self.c = client

    def add(self, messages, **kw):
        """A synchronous add; returns the result items."""
        if SDK >= (2, 0, 0):
            return results(self.c.add(messages, infer=False, **kw))
        if SDK >= (1, 0, 0):
            return results(self.c.add(messages, async_mode=False, **kw))
        return results(self.c.add(messages, **kw))

    def add_async(self, messages, **kw):
        """The SDK's asynchronous add; returns the event id to poll."""
        if SDK >= (2, 0, 0):
            answer = self.c.add(messages, **kw)
            assert answer["status"] == "PENDING", answer
            return answer["event_id"]
        if SDK >= (1, 0, 0):
            answer = self.c.add(messages, **kw)
        else:
            answer = self.c.add(messages, async_mode=True, **kw)
        item = results(answer)[0]
        assert item["status"] == "PENDING", answer
        return item["event_id"]

    def get_all(self, filters, **kw):
        """get_all with a v2 filter; returns the raw answer."""
        if SDK >= (2, 0, 0):
            return self.c.get_all(filters=filters, **kw)
        if SDK >= (1, 0, 0):
            return self.c.get_all(filters=filters, **kw)
        return self.c.get_all(version="v2", filters=filters, **kw)

    def memories_of(self, **scope):
        """Every memory of one entity, through the SDK's own get_all."""
        if SDK >= (2, 0, 0):
            return results(self.c.get_all(filters=dict(scope), page_size=200))
        if SDK >= (1, 0, 0):
            return results(self.c.get_all(**scope))
        return results(self.c.get_all(**scope))

    def page(self, user_id, page, page_size):
        """One page of a user's memories in the paginated envelope."""
        if SDK >= (2, 0, 0):
            return self.c.get_all(filters={"user_id": user_id}, page=page, page_size=page_size)
        return self.c.get_all(user_id=user_id, page=page, page_size=page_size)

    def search(self, query, filters, **kw):
        if SDK >= (1, 0, 0):
            return results(self.c.search(query, filters=filters, **kw))
        return results(self.c.search(query, version="v2", filters=filters, **kw))

    def search_v1_style(self, query, user_id, **kw):
        """Top-level ids: the v1 search of 0.1.x and the v2 search of 1.x; v3 takes filters."""
        if SDK >= (2, 0, 0):
            return results(self.c.search(query, filters={"user_id": user_id}, **kw))
        return results(self.c.search(query, user_id=user_id, **kw))

    def delete_all(self, **scope):
        return self.c.delete_all(**scope)

    def raw(self):
        """The SDK's own httpx client (base URL and auth header set)."""
        return self.c.client


def wait_for_event(api, event_id, timeout=10):
    deadline = time.time() + timeout
    while True:
        r = api.raw().get(f"/v1/event/{event_id}/")
        assert r.status_code == 200, r.text
        body = r.json()
        if body["status"] in ("SUCCEEDED", "FAILED") or time.time() > deadline:
            return body
        time.sleep(0.1)


def other_client(server):
    return MemoryClient(api_key=OTHER_KEY, host=server)


def http(server, key=KEY):
    return httpx.Client(base_url=server, headers={"Authorization": f"Token {key}"})
