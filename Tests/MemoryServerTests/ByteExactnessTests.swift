import Foundation
import Hummingbird
import MemoryAPI
import MemoryServer
import Testing

/// Ids, scopes and texts kept byte for byte through the server (issue 13, item 3): an NFD user
/// beside its NFC spelling is a second user everywhere, a NUL inside a text survives, and a NUL
/// in an id is refused at the add, naming the field.
@Suite struct ByteExactnessTests {
    static let nfc = "caf\u{E9}"
    static let nfd = "cafe\u{301}"

    /// The v3 listing of one user: its count and texts.
    static func listing(_ h: ServerHarness, user: String) async throws -> (count: Int, texts: [String]) {
        let body = JSONValue.object(["filters": .object(["user_id": .string(user)]), "page_size": 100])
        let r = try await h.send(.post, "/v3/memories/", body: body.jsonString())
        #expect(r.status == 200, "\(r.json)")
        let texts = r.json["results"]?.arrayValue?.compactMap { $0["memory"]?.stringValue } ?? []
        return (Int(r.json["count"]?.int64Value ?? -1), texts)
    }

    @Test func nfcAndNfdUsersStayTwoThroughAddListingEntitiesAndFilters() async throws {
        try await ServerHarness.with { h in
            let first = try await h.add(["likes tea"], user: Self.nfc)
            let second = try await h.add(["likes tea"], user: Self.nfd)
            #expect(first.count == 1 && second.count == 1)
            #expect(first != second, "the NFD user's memory is its own, not a NOOP of the NFC one")
            _ = try await h.add(["a second one"], user: Self.nfd)

            let nfc = try await Self.listing(h, user: Self.nfc)
            let nfd = try await Self.listing(h, user: Self.nfd)
            #expect(nfc.count == 1)
            #expect(nfd.count == 2)

            let entities = try await h.send(.get, "/v1/entities/")
            let users = entities.json["results"]?.arrayValue?.filter { $0["type"]?.stringValue == "user" } ?? []
            #expect(users.count == 2, "\(entities.json)")
            let names = users.compactMap { $0["name"]?.stringValue }
            #expect(names.contains { $0.isExactly(Self.nfc) } && names.contains { $0.isExactly(Self.nfd) })
            let totals = users.map { ($0["name"]?.stringValue ?? "", $0["total_memories"]?.int64Value ?? 0) }
            #expect(totals.first { $0.0.isExactly(Self.nfd) }?.1 == 2)

            // `in` and `ne` keep the two apart too.
            let inList = try await h.send(
                .post, "/v3/memories/",
                body: JSONValue.object([
                    "filters": .object(["user_id": .object(["in": .array([.string(Self.nfd)])])])
                ]).jsonString())
            #expect(inList.json["count"] == .int(2))
        }
    }

    @Test func aNulInsideATextSurvivesListingGetSearchAndFilters() async throws {
        try await ServerHarness.with { h in
            let text = "before\u{0}after"
            let ids = try await h.add([text], user: "nul-user")
            let id = try #require(ids.first)
            let listed = try await Self.listing(h, user: "nul-user")
            #expect(listed.texts.count == 1)
            #expect(listed.texts.first?.isExactly(text) == true, "\(listed.texts.map { Array($0.utf8) })")
            let got = try await h.send(.get, "/v1/memories/\(id)/")
            #expect(got.json["memory"]?.stringValue?.isExactly(text) == true)
            // The same text again is a NOOP of that memory (the stored text is compared whole).
            let again = try await h.add([text], user: "nul-user")
            #expect(again == ids)
            // A keyword filter sees the bytes after the NUL.
            let found = try await h.send(
                .post, "/v3/memories/",
                body: JSONValue.object([
                    "filters": .object([
                        "AND": .array([
                            .object(["user_id": "nul-user"]),
                            .object(["keywords": .object(["contains": .string("\u{0}aft")])]),
                        ])
                    ])
                ]).jsonString())
            #expect(found.json["count"] == .int(1), "\(found.json)")
            // An update keeps a NUL too, and history shows both texts whole.
            let updated = try await h.send(
                .put, "/v1/memories/\(id)/", body: JSONValue.object(["text": "x\u{0}y"]).jsonString())
            #expect(updated.status == 200)
            #expect(updated.json["memory"]?.stringValue?.isExactly("x\u{0}y") == true, "\(updated.json)")
            let history = try await h.send(.get, "/v1/memories/\(id)/history/")
            let last = history.json.arrayValue?.last
            #expect(last?["old_memory"]?.stringValue?.isExactly(text) == true)
            #expect(last?["new_memory"]?.stringValue?.isExactly("x\u{0}y") == true)
        }
    }

    @Test func aNulInAnIdIsRefusedAtTheAddNamingTheField() async throws {
        try await ServerHarness.with { h in
            for field in ["user_id", "agent_id", "app_id", "run_id"] {
                let body = JSONValue.object([
                    "messages": .array([.object(["role": "user", "content": "hello"])]),
                    field: .string("alice\u{0}evil"), "infer": false,
                ])
                let r = try await h.send(.post, "/v3/memories/add/", body: body.jsonString())
                #expect(r.status == 400, "\(field): \(r.json)")
                #expect(r.detail.contains(field) && r.detail.contains("NUL"), "\(r.detail)")
                #expect(r.json["path"]?.stringValue == field)
            }
            let listed = try await Self.listing(h, user: "alice")
            #expect(listed.count == 0, "nothing stored under a cut id")
            // A filter value with a NUL matches only that exact value (there is none).
            let filtered = try await Self.listing(h, user: "alice\u{0}evil")
            #expect(filtered.count == 0)
        }
    }
}
