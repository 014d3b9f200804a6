"""The official mem0ai SDK against `memport serve`: every MemoryClient method, with real
assertions on what lands where. Run by scripts/conformance once per SDK version."""

import datetime

import httpx
import pytest
from mem0 import MemoryClient

from conftest import KEY, OTHER_PROJECT, SDK, http, other_client, results, wait_for_event

CHAT = [
    {"role": "system", "content": "You are a travel assistant."},
    {"role": "user", "content": "Hi, I'm Alex. I'm a vegetarian and I'm allergic to nuts."},
    {"role": "assistant", "content": "Hello Alex! I've noted that you're a vegetarian."},
]


def texts(items):
    return sorted(m["memory"] for m in items)


def test_ping_reports_the_keys_project(client, server):
    assert client.org_id == "default-org" or SDK >= (2, 0, 0)
    r = http(server).get("/v1/ping/")
    assert r.status_code == 200
    assert r.json()["project_id"] == "default-project"


def test_a_wrong_key_is_refused(server):
    with pytest.raises(ValueError) as e:
        MemoryClient(api_key="not-a-key", host=server)
    assert "Invalid API key" in str(e.value)
    r = http(server, key="not-a-key").get("/v1/memories/", params={"user_id": "x"})
    assert r.status_code == 401
    assert "detail" in r.json()
    assert httpx.get(server + "/v1/ping/").status_code == 401


def test_user_scope_stores_user_messages_only(api, uid):
    added = api.add(CHAT, user_id=f"alex-{uid}", metadata={"food": "vegan"})
    assert [a["event"] for a in added] == ["ADD"]
    mine = api.memories_of(user_id=f"alex-{uid}")
    assert texts(mine) == ["Hi, I'm Alex. I'm a vegetarian and I'm allergic to nuts."]
    assert mine[0]["metadata"] == {"food": "vegan"}
    assert mine[0]["user_id"] == f"alex-{uid}" and mine[0]["agent_id"] is None


def test_agent_alone_stores_assistant_messages(api, uid):
    api.add(CHAT, agent_id=f"bot-{uid}")
    assert texts(api.memories_of(agent_id=f"bot-{uid}")) == ["Hello Alex! I've noted that you're a vegetarian."]


def test_user_and_agent_split_by_role(api, uid):
    api.add(CHAT, user_id=f"u-{uid}", agent_id=f"a-{uid}")
    assert texts(api.memories_of(user_id=f"u-{uid}")) == [CHAT[1]["content"]]
    assert texts(api.memories_of(agent_id=f"a-{uid}")) == [CHAT[2]["content"]]


def test_same_text_same_scope_is_a_noop(api, uid):
    first = api.add([{"role": "user", "content": "I like tea"}], user_id=f"u-{uid}")
    again = api.add([{"role": "user", "content": "I like tea"}], user_id=f"u-{uid}")
    assert again[0]["event"] == "NOOP" and again[0]["id"] == first[0]["id"]
    assert len(api.memories_of(user_id=f"u-{uid}")) == 1


def test_bare_string_messages(client, api, uid):
    client.add("I live in Lisbon", user_id=f"u-{uid}", **({"infer": False} if SDK >= (2,) else {}))
    assert texts(api.memories_of(user_id=f"u-{uid}")) == ["I live in Lisbon"]


def test_timestamp_expiration_and_immutable(client, api, uid):
    added = api.add(
        [{"role": "user", "content": "old fact"}], user_id=f"u-{uid}", timestamp=1_700_000_000,
        expiration_date="2099-12-31", immutable=True)
    memory = client.get(added[0]["id"])
    assert memory["created_at"].startswith("2023-11-14T22:13:20")
    assert memory["expiration_date"] == "2099-12-31"
    with pytest.raises(Exception) as e:
        client.update(added[0]["id"], text="new text")
    assert "immutable" in str(e.value)
    expired = api.add([{"role": "user", "content": "gone"}], user_id=f"x-{uid}", expiration_date="2001-01-01")
    assert api.memories_of(user_id=f"x-{uid}") == []
    assert client.get(expired[0]["id"])["memory"] == "gone"


def test_async_add_reports_through_the_event(api, uid):
    event_id = api.add_async([{"role": "user", "content": "async fact"}], user_id=f"u-{uid}")
    event = wait_for_event(api, event_id)
    assert event["status"] == "SUCCEEDED"
    assert [r["memory"] for r in event["results"]] == ["async fact"]
    assert texts(api.memories_of(user_id=f"u-{uid}")) == ["async fact"]


def test_seed_filters_select_the_right_memories(api, uid):
    alex, alice = f"alex-{uid}", f"alice-{uid}"
    travel, support, other = f"travel-assistant-{uid}", f"customer-support-{uid}", f"other-{uid}"
    api.add([{"role": "user", "content": "alex likes Tokyo"}], user_id=alex)
    api.add([{"role": "assistant", "content": "travel tip"}], agent_id=travel)
    api.add([{"role": "assistant", "content": "support tip"}], agent_id=support)
    api.add([{"role": "assistant", "content": "unrelated"}], agent_id=other)
    api.add([{"role": "user", "content": "alice in a run"}], user_id=alice, run_id=f"trip-{uid}")
    api.add([{"role": "user", "content": "alice without run"}], user_id=alice, metadata={"food": "vegan"})

    either = {"OR": [{"user_id": alex}, {"agent_id": {"in": [travel, support]}}]}
    assert texts(results(api.get_all(either))) == ["alex likes Tokyo", "support tip", "travel tip"]
    with_run = {"AND": [{"user_id": alice}, {"run_id": "*"}]}
    assert texts(results(api.get_all(with_run))) == ["alice in a run"]
    vegan = {"AND": [{"user_id": alice}, {"metadata": {"food": "vegan"}}]}
    assert texts(results(api.get_all(vegan))) == ["alice without run"]
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    dated = {"AND": [{"user_id": alice}, {"created_at": {"gte": today, "lte": today}}]}
    assert len(results(api.get_all(dated))) == 2
    not_vegan = {"AND": [{"user_id": alice}, {"NOT": {"metadata": {"food": "vegan"}}}]}
    assert texts(results(api.get_all(not_vegan))) == ["alice in a run"]
    categories = {"AND": [{"user_id": alice}, {"categories": {"in": ["personal_information"]}}]}
    assert results(api.get_all(categories)) == []
    found = api.search("Tokyo tips", either)
    assert {m["memory"] for m in found} <= {"alex likes Tokyo", "support tip", "travel tip"}
    assert "alex likes Tokyo" in {m["memory"] for m in found}


def test_search_top_k_and_threshold(api, uid):
    user = f"s-{uid}"
    api.add([{"role": "user", "content": c} for c in
             ["hiking in the alps", "hiking boots and hiking poles", "I like tea", "mountain hiking trip"]],
            user_id=user)
    hits = api.search("hiking", {"user_id": user}, top_k=2)
    assert len(hits) == 2
    assert all("hiking" in h["memory"] for h in hits)
    assert hits[0]["score"] >= hits[1]["score"] and 0 <= hits[1]["score"] <= 1
    everything = api.search("hiking", {"user_id": user}, threshold=0.0)
    assert texts(everything) == ["hiking boots and hiking poles", "hiking in the alps", "mountain hiking trip"]
    assert api.search_v1_style("tea", user)[0]["memory"] == "I like tea"


def test_paginated_get_all_walks_every_page(api, uid):
    user = f"p-{uid}"
    api.add([{"role": "user", "content": f"fact {i:02d}"} for i in range(25)], user_id=user)
    seen, page = [], 1
    while True:
        answer = api.page(user, page, 10)
        assert answer["count"] == 25
        seen += [m["memory"] for m in answer["results"]]
        if answer["next"] is None:
            break
        assert answer["next"].startswith("http://127.0.0.1:")
        page += 1
    assert seen == [f"fact {i:02d}" for i in range(25)]
    assert page == 3
    # The next URL is absolute and can be followed as is (same body for POST lists).
    first = api.page(user, 1, 10)
    raw = api.raw()
    follow = raw.get(first["next"]) if SDK < (1,) else raw.post(
        first["next"], json={"filters": {"user_id": user}} if SDK >= (2,) else {"user_id": user})
    assert follow.status_code == 200, follow.text
    assert [m["memory"] for m in follow.json()["results"]] == [f"fact {i:02d}" for i in range(10, 20)]
    with pytest.raises(Exception) as e:
        api.page(user, 4, 10)
    assert "Invalid page" in str(e.value)


def test_update_and_history(client, api, uid):
    added = api.add([{"role": "user", "content": "likes tea"}], user_id=f"h-{uid}")
    mid = added[0]["id"]
    updated = client.update(mid, text="likes coffee", metadata={"v": 2})
    assert updated["memory"] == "likes coffee"
    assert client.get(mid)["metadata"] == {"v": 2}
    history = client.history(mid)
    assert [h["event"] for h in history] == ["ADD", "UPDATE"]
    assert history[1]["old_memory"] == "likes tea" and history[1]["new_memory"] == "likes coffee"


def test_delete_and_delete_all(client, api, uid):
    user = f"d-{uid}"
    added = api.add([{"role": "user", "content": c} for c in ["a1", "a2", "a3"]], user_id=user)
    assert client.delete(added[0]["id"])["message"]
    assert texts(api.memories_of(user_id=user)) == ["a2", "a3"]
    assert [h["event"] for h in client.history(added[0]["id"])] == ["ADD", "DELETE"]
    api.delete_all(user_id=user)
    assert api.memories_of(user_id=user) == []
    with pytest.raises(Exception):
        client.get(added[1]["id"])
    if SDK >= (2,):
        api.add([{"role": "user", "content": "b1"}], user_id=user)
        client.delete_all(filters={"user_id": user})
        assert api.memories_of(user_id=user) == []


def test_batch_update_delete_and_limits(client, api, uid):
    user = f"b-{uid}"
    added = api.add([{"role": "user", "content": c} for c in ["one", "two"]], user_id=user)
    ids = [a["id"] for a in added]
    answer = client.batch_update([{"memory_id": ids[0], "text": "uno"}, {"memory_id": ids[1], "text": "dos"}])
    assert "2" in answer["message"]
    assert texts(api.memories_of(user_id=user)) == ["dos", "uno"]
    too_many = [{"memory_id": ids[0], "text": "x"}] * 1001
    with pytest.raises(Exception) as e:
        client.batch_update(too_many)
    assert "1000" in str(e.value)
    with pytest.raises(Exception):
        client.batch_delete([{"memory_id": ids[0]}] * 1001)
    assert len(api.memories_of(user_id=user)) == 2
    client.batch_delete([{"memory_id": i} for i in ids])
    assert api.memories_of(user_id=user) == []


def test_users_and_delete_users(client, api, uid):
    user = f"e-{uid}"
    api.add([{"role": "user", "content": c} for c in ["x1", "x2"]], user_id=user)
    entities = client.users()
    mine = [e for e in entities["results"] if e["name"] == user]
    assert len(mine) == 1 and mine[0]["type"] == "user" and mine[0]["total_memories"] == 2
    client.delete_users(user_id=user)
    assert api.memories_of(user_id=user) == []
    assert all(e["name"] != user for e in client.users()["results"])


def test_reset_empties_only_its_project(server, api, uid):
    kept = f"kept-{uid}"
    api.add([{"role": "user", "content": "stays"}], user_id=kept)
    other = other_client(server)
    if SDK < (2,):
        assert (other.org_id, other.project_id) == OTHER_PROJECT
    other_api = type(api)(other)
    other_api.add([{"role": "user", "content": "goes"}], user_id=f"r-{uid}")
    other_api.add([{"role": "assistant", "content": "goes too"}], agent_id=f"ra-{uid}")
    assert len(other.users()["results"]) >= 2
    other.reset()
    assert other.users()["results"] == []
    assert other_api.memories_of(user_id=f"r-{uid}") == []
    assert texts(api.memories_of(user_id=kept)) == ["stays"]


def test_exports_summary_and_feedback(client, api, uid):
    user = f"x-{uid}"
    added = api.add([{"role": "user", "content": c} for c in ["likes tea", "lives in Porto"]], user_id=user)
    schema = {"type": "object", "properties": {"facts": {"type": "array"}, "count": {"type": "integer"}}}
    created = client.create_memory_export(schema=schema, filters={"user_id": user})
    export = client.get_memory_export(memory_export_id=created["id"])
    assert sorted(export["facts"]) == ["likes tea", "lives in Porto"] and export["count"] == 2
    summary = client.get_summary(filters={"user_id": user})
    assert summary["memory_count"] == 2 and "likes tea" in summary["summary"]
    try:
        client.feedback(added[0]["id"], feedback="POSITIVE", feedback_reason="right")
    except TypeError:
        pass  # 0.1.118 and 1.0.11 crash in their own telemetry after the request (contract §3.22)
    r = http(api.raw().base_url.__str__().rstrip("/")).post(
        "/v1/feedback/", json={"memory_id": added[0]["id"], "feedback": "NEGATIVE", "feedback_reason": None})
    assert r.status_code == 200 and r.json()["feedback"] == "NEGATIVE"
