"""The official `mem0` CLI (mem0-cli 0.2.13, unchanged) against `memport serve`: every command,
each checked by its effect on the server. Run by scripts/conformance in its own venv."""

import json
import os
import tempfile


# 2026-01-01T00:00:00Z, 2025-03-01, 2026-02-01 and 2026-08-01 at midnight UTC.
JAN_2026 = 1767225600
MAR_2025 = 1740787200
FEB_2026 = 1769904000
AUG_2026 = 1785542400


def listing(api, **scope):
    """Every memory of a scope, straight from the server (v3 listing, all lifecycle states)."""
    r = api.post("/v3/memories/", params={"page_size": 200},
                 json={"filters": scope, "show_expired": True, "include_merged": True})
    assert r.status_code == 200, r.text
    return r.json()["results"]


def memory(api, memory_id):
    r = api.get(f"/v1/memories/{memory_id}/")
    assert r.status_code == 200, r.text
    return r.json()


def add(cli, text, *args):
    """`mem0 add TEXT --no-infer ...` (stored verbatim); returns the new memory's id."""
    envelope = cli.agent("add", text, "--no-infer", *args)
    assert envelope["status"] == "success", envelope
    ids = [item["id"] for item in envelope["data"] if item.get("id")]
    assert len(ids) == 1, envelope
    return ids[0]


def test_status_reaches_the_server(cli, server):
    envelope = cli.agent("status")
    assert envelope["data"] == {"connected": True, "backend": "platform", "base_url": server}


def test_the_cli_config_stays_in_the_temporary_home(cli, home):
    cli.run("list", "-u", "nobody")
    config = os.path.join(home, ".mem0", "config.json")
    assert os.path.exists(config), "the CLI writes its config under the temporary HOME"
    with open(config) as f:
        assert json.load(f)["platform"]["api_key"] == cli.env["MEM0_API_KEY"]


def test_add_text_with_metadata_expiry_immutable_and_timestamp(cli, api, uid):
    user = f"ann-{uid}"
    memory_id = add(cli, "Prefers window seats", "-u", user, "--metadata", '{"team": "travel", "rank": 2}',
                    "--immutable", "--expires", "2999-12-31", "--timestamp", str(JAN_2026))
    stored = memory(api, memory_id)
    assert stored["memory"] == "Prefers window seats"
    assert stored["user_id"] == user and stored["agent_id"] is None
    # The CLI's "source": "CLI" is a marker, never metadata.
    assert stored["metadata"] == {"team": "travel", "rank": 2}
    assert stored["immutable"] is True
    assert stored["expiration_date"] == "2999-12-31"
    assert stored["created_at"].startswith("2026-01-01T00:00:00")
    assert [m["id"] for m in listing(api, user_id=user)] == [memory_id]


def test_add_messages_splits_the_conversation_by_role(cli, api, uid):
    user, agent = f"bo-{uid}", f"bot-{uid}"
    messages = [
        {"role": "user", "content": "I am allergic to peanuts."},
        {"role": "assistant", "content": "Noted: no peanuts in your recipes."},
    ]
    envelope = cli.agent("add", "--messages", json.dumps(messages), "-u", user, "--agent-id", agent, "--no-infer")
    assert envelope["status"] == "success"
    assert [m["memory"] for m in listing(api, user_id=user)] == ["I am allergic to peanuts."]
    assert [m["memory"] for m in listing(api, agent_id=agent)] == ["Noted: no peanuts in your recipes."]


def test_add_with_inference_queues_an_event_the_cli_can_follow(cli, api, uid):
    user = f"cy-{uid}"
    envelope = cli.agent("add", "I drink green tea every morning", "-u", user)
    pending = [item for item in envelope["data"] if item.get("status") == "PENDING"]
    assert len(pending) == 1, envelope
    event_id = pending[0]["event_id"]

    status = cli.json("event", "status", event_id, "-o", "json")
    assert status["id"] == event_id and status["status"] == "SUCCEEDED" and status["event_type"] == "ADD"
    assert [r["memory"] for r in status["results"]] == ["I drink green tea every morning"]
    assert status["results"][0]["data"]["memory"] == "I drink green tea every morning"
    assert isinstance(status["latency"], (int, float)) and status["updated_at"]

    envelope = cli.agent("event", "status", event_id)
    assert envelope["data"]["results"][0]["memory"] == "I drink green tea every morning"

    events = cli.json("event", "list", "-o", "json")
    assert isinstance(events, list) and event_id in [e["id"] for e in events]
    mine = next(e for e in events if e["id"] == event_id)
    assert mine["status"] == "SUCCEEDED" and mine["event_type"] == "ADD" and mine["created_at"]
    listed = cli.agent("event", "list")
    assert listed["count"] == len(listed["data"]) and event_id in [e["id"] for e in listed["data"]]
    table = cli.run("event", "list").stdout
    assert event_id[:8] in table and "SUCCEEDED" in table

    r = api.get("/v1/events/")
    assert r.status_code == 200
    page = r.json()
    assert set(page) >= {"count", "next", "previous", "results"} and page["count"] >= 1


def test_event_status_of_an_unknown_event_fails_cleanly(cli):
    proc = cli.run("event", "status", "00000000-0000-4000-8000-000000000000", check=False)
    assert proc.returncode != 0


def test_list_with_dates(cli, api, uid):
    user = f"di-{uid}"
    add(cli, "Visited Lisbon", "-u", user, "--timestamp", str(MAR_2025))
    february = add(cli, "Visited Oslo", "-u", user, "--timestamp", str(FEB_2026))
    add(cli, "Visited Quito", "-u", user, "--timestamp", str(AUG_2026))

    everything = cli.agent("list", "-u", user)
    assert everything["count"] == 3
    assert sorted(m["memory"] for m in everything["data"]) == ["Visited Lisbon", "Visited Oslo", "Visited Quito"]

    between = cli.agent("list", "-u", user, "--after", "2026-01-01", "--before", "2026-06-30")
    assert [m["id"] for m in between["data"]] == [february]
    after = cli.json("list", "-u", user, "--after", "2026-01-01", "-o", "json")
    assert sorted(m["memory"] for m in after["data"]) == ["Visited Oslo", "Visited Quito"]
    assert after["scope"] == {"user_id": user}

    paged = cli.agent("list", "-u", user, "--page", "2", "--page-size", "2")
    assert len(paged["data"]) == 1

    table = cli.run("list", "-u", user).stdout
    assert "Visited Oslo" in table and "Visited Lisbon" in table


def test_list_and_search_take_latest_only_and_hide_merged(cli, api, uid):
    user = f"dr-{uid}"
    old = add(cli, "Works at Initech", "-u", user)
    new = add(cli, "Works at Globex", "-u", user)
    duplicate = add(cli, "Employed by Globex", "-u", user)
    # memport serve takes Dream's lifecycle fields on update, standing in for Dream.
    assert api.put(f"/v1/memories/{old}/", json={"lifecycle_state": "superseded", "replaced_by": new}).status_code == 200
    assert api.put(f"/v1/memories/{duplicate}/", json={"lifecycle_state": "merged", "replaced_by": new}).status_code == 200

    shown = {m["id"] for m in cli.agent("list", "-u", user)["data"]}
    assert shown == {old, new}
    assert {m["id"] for m in cli.agent("list", "-u", user, "--latest-only")["data"]} == {new}
    assert {m["id"] for m in cli.json("search", "works", "-u", user, "-o", "json")} == {old, new}
    assert {m["id"] for m in cli.json("search", "works", "-u", user, "--latest-only", "-o", "json")} == {new}

    got = cli.json("get", old, "-o", "json")
    assert got["lifecycle_state"] == "superseded" and got["replaced_by"] == new
    assert {m["id"] for m in listing(api, user_id=user)} == {old, new, duplicate}


def test_search_with_filter(cli, api, uid):
    user = f"ed-{uid}"
    alps = add(cli, "Loves hiking in the Alps", "-u", user, "--metadata", '{"topic": "outdoors"}')
    add(cli, "Bought hiking boots", "-u", user, "--metadata", '{"topic": "shopping"}')
    add(cli, "Loves hiking too", "-u", f"other-{uid}", "--metadata", '{"topic": "outdoors"}')

    found = cli.json("search", "hiking", "-u", user, "-o", "json")
    assert sorted(m["memory"] for m in found) == ["Bought hiking boots", "Loves hiking in the Alps"]
    assert all(0 <= m["score"] <= 1 for m in found)

    found = cli.json("search", "hiking", "--filter",
                     json.dumps({"AND": [{"user_id": user}, {"metadata": {"topic": "outdoors"}}]}), "-o", "json")
    assert [m["id"] for m in found] == [alps]

    found = cli.json("search", "hiking", "--filter",
                     json.dumps({"OR": [{"user_id": user}, {"user_id": f"other-{uid}"}]}), "-o", "json")
    assert len(found) == 3

    found = cli.json("search", "hiking", "-u", user, "--filter", json.dumps({"created_at": {"gte": "2000-01-01"}}),
                     "--top-k", "1", "-o", "json")
    assert len(found) == 1

    found = cli.agent("search", "hiking", "-u", user, "--keyword", "--rerank", "--show-expired", "--fields",
                      "memory,created_at")
    assert found["count"] == 2

    table = cli.run("search", "Alps", "-u", user).stdout
    assert "Alps" in table


def test_a_search_without_an_entity_is_a_400_with_detail(cli):
    proc = cli.run("search", "x", "--filter", json.dumps({"AND": [{"categories": {"in": ["work"]}}]}), check=False)
    assert proc.returncode != 0
    envelope = cli.agent("search", "x", "--filter", json.dumps({"AND": [{"categories": {"in": ["work"]}}]}),
                         check=False)
    assert envelope["status"] == "error"
    assert "Bad request to /v3/memories/search/: filters must name" in envelope["error"]


def test_get(cli, api, uid):
    memory_id = add(cli, "Has a cat named Miso", "-u", f"fa-{uid}", "--metadata", '{"pet": "cat"}')
    got = cli.json("get", memory_id, "-o", "json")
    assert got["id"] == memory_id and got["memory"] == "Has a cat named Miso"
    assert got["user_id"] == f"fa-{uid}" and got["metadata"] == {"pet": "cat"}
    envelope = cli.agent("get", memory_id)
    assert envelope["data"]["memory"] == "Has a cat named Miso" and envelope["data"]["metadata"] == {"pet": "cat"}
    assert "Miso" in cli.run("get", memory_id).stdout
    assert cli.run("get", "00000000-0000-4000-8000-000000000000", check=False).returncode != 0


def test_update(cli, api, uid):
    memory_id = add(cli, "Lives in Porto", "-u", f"gi-{uid}")
    envelope = cli.agent("update", memory_id, "Lives in Braga", "--metadata", '{"moved": true}',
                         "--expires", "2999-01-01", "--timestamp", str(JAN_2026))
    assert envelope["data"]["memory"] == "Lives in Braga"
    stored = memory(api, memory_id)
    assert stored["memory"] == "Lives in Braga"
    assert stored["metadata"] == {"moved": True}
    assert stored["expiration_date"] == "2999-01-01"
    assert stored["created_at"].startswith("2026-01-01T00:00:00")
    history = api.get(f"/v1/memories/{memory_id}/history/").json()
    assert [h["event"] for h in history] == ["ADD", "UPDATE"]


def test_delete_one(cli, api, uid):
    user = f"ha-{uid}"
    gone = add(cli, "Plays chess", "-u", user)
    kept = add(cli, "Plays go", "-u", user)
    envelope = cli.agent("delete", gone, "--force")
    assert envelope["data"] == {"id": gone, "deleted": True}
    assert api.get(f"/v1/memories/{gone}/").status_code == 404
    assert [m["id"] for m in listing(api, user_id=user)] == [kept]


def test_delete_all_of_a_scope(cli, api, uid):
    a, b = f"ia-{uid}", f"ib-{uid}"
    add(cli, "Likes jazz", "-u", a)
    add(cli, "Likes blues", "-u", a)
    kept = add(cli, "Likes rock", "-u", b)
    dry = cli.run("delete", "--all", "-u", a, "--dry-run").stdout
    assert "Would delete 2 memories" in dry
    assert len(listing(api, user_id=a)) == 2
    envelope = cli.agent("delete", "--all", "-u", a, "--force")
    assert envelope["data"] == {"deleted": True}
    assert listing(api, user_id=a) == []
    assert [m["id"] for m in listing(api, user_id=b)] == [kept]


def test_delete_all_without_a_scope_deletes_nothing(cli, api, uid):
    kept = add(cli, "Collects stamps", "-u", f"ja-{uid}")
    envelope = cli.agent("delete", "--all", "--force", check=False)
    assert envelope["status"] == "error"
    assert "Bad request to /v1/memories/" in envelope["error"]
    assert memory(api, kept)["memory"] == "Collects stamps"
    # The CLI's `source` query marker is not an entity filter either.
    r = api.delete("/v1/memories/", params={"source": "CLI"})
    assert r.status_code == 400 and r.json()["detail"]
    assert memory(api, kept)["memory"] == "Collects stamps"


def test_source_is_neither_a_filter_nor_metadata(api, cli, uid):
    user = f"ka-{uid}"
    memory_id = add(cli, "Runs marathons", "-u", user)
    assert memory(api, memory_id)["metadata"] is None
    with_marker = api.get("/v1/memories/", params={"user_id": user, "source": "CLI"}).json()
    without = api.get("/v1/memories/", params={"user_id": user}).json()
    assert with_marker == without and len(without) == 1
    assert api.get(f"/v1/memories/{memory_id}/", params={"source": "CLI"}).status_code == 200
    r = api.post("/v3/memories/", json={"filters": {"user_id": user}, "source": "CLI"})
    assert r.json()["count"] == 1


def test_entity_list_and_delete(cli, api, uid):
    user, agent = f"la-{uid}", f"lbot-{uid}"
    add(cli, "Speaks Basque", "-u", user)
    # With an agent alone, memport serve stores the assistant's messages (attribution by role).
    cli.agent("add", "--messages", json.dumps([{"role": "assistant", "content": "Answers in Basque"}]),
              "--agent-id", agent, "--no-infer")

    users = cli.json("entity", "list", "users", "-o", "json")
    assert user in [e["name"] for e in users] and all(e["type"] == "user" for e in users)
    agents = cli.agent("entity", "list", "agents")
    assert agent in [e["name"] for e in agents["data"]]
    assert user in cli.run("entity", "list", "users").stdout

    envelope = cli.agent("entity", "delete", "--user-id", user, "--force")
    assert envelope["status"] == "success"
    assert listing(api, user_id=user) == []
    assert user not in [e["name"] for e in cli.json("entity", "list", "users", "-o", "json")]
    assert len(listing(api, agent_id=agent)) == 1

    envelope = cli.agent("delete", "--entity", "--agent-id", agent, "--force")
    assert envelope["status"] == "success"
    assert listing(api, agent_id=agent) == []


def test_import(cli, api, uid):
    user, agent = f"ma-{uid}", f"mbot-{uid}"
    items = [
        {"memory": "Prefers dark mode", "user_id": user, "metadata": {"source": "crm"}},
        {"text": "Lives in Berlin", "user_id": user},
        {"content": "Answers in German", "user_id": user, "agent_id": agent},
        {"memory": ""},
    ]
    path = os.path.join(tempfile.mkdtemp(), "import.json")
    with open(path, "w") as f:
        json.dump(items, f)
    envelope = cli.agent("import", path)
    assert envelope["data"] == {"added": 3, "failed": 1}
    mine = {m["memory"]: m for m in listing(api, user_id=user)}
    assert set(mine) == {"Prefers dark mode", "Lives in Berlin", "Answers in German"}
    # The item's own metadata is kept, "source" in it included; the CLI's marker is not added.
    assert mine["Prefers dark mode"]["metadata"] == {"source": "crm"}
    assert mine["Lives in Berlin"]["metadata"] is None

    # -u overrides each item's own user, as the CLI does.
    other = f"mc-{uid}"
    text = cli.run("import", path, "-u", other).stderr
    assert "Imported 3 memories" in text
    assert sorted(m["memory"] for m in listing(api, user_id=other)) == [
        "Answers in German", "Lives in Berlin", "Prefers dark mode"]


# Last in the file on purpose: it empties the project.
def test_delete_the_whole_project(cli, api, uid):
    a, b = f"za-{uid}", f"zb-{uid}"
    add(cli, "Owns a kayak", "-u", a)
    cli.agent("add", "--messages", json.dumps([{"role": "assistant", "content": "Owns a canoe"}]),
              "--agent-id", b, "--no-infer")
    envelope = cli.agent("delete", "--all", "--project", "--force")
    assert envelope["data"] == {"deleted": True, "scope": "project"}
    assert listing(api, user_id="*") == []
    assert api.get("/v1/entities/").json()["results"] == []
