import Foundation
import Testing

@testable import MemoryAPI

@Suite struct MemoryFilterTests {
    /// Malformed filters and the JSON path each must be refused at.
    static let malformed: [(String, String)] = [
        (#"{}"#, "filters"),
        (#"[]"#, "filters"),
        (#""user_id""#, "filters"),
        (#"{"AND": []}"#, "filters.AND"),
        (#"{"OR": []}"#, "filters.OR"),
        (#"{"NOT": []}"#, "filters.NOT"),
        (#"{"AND": {"user_id": "a"}}"#, "filters.AND"),
        (#"{"AND": [{"user_id": "a"}, {}]}"#, "filters.AND[1]"),
        (#"{"AND": [{"user_id": "a"}, 5]}"#, "filters.AND[1]"),
        (#"{"and": [{"user_id": "a"}]}"#, "filters.and"),
        (#"{"AND": [{"user_id": "a"}, {"user": "b"}]}"#, "filters.AND[1].user"),
        (
            #"{"AND": [{"user_id": "a"}, {"agent_id": "b"}, {"created_at": {"gte": 42}}]}"#,
            "filters.AND[2].created_at.gte"
        ),
        (#"{"AND": [{"user_id": "a"}, {"x": 1}, {"created_at": {"between": "2024-01-01"}}]}"#, "filters.AND[1].x"),
        (#"{"created_at": {"between": "2024-01-01"}}"#, "filters.created_at.between"),
        (#"{"created_at": {">=": "2024-01-01"}}"#, "filters.created_at.>="),
        (#"{"created_at": {"gte": "yesterday"}}"#, "filters.created_at.gte"),
        (#"{"created_at": {"gte": "2024-02-30"}}"#, "filters.created_at.gte"),
        (#"{"created_at": {"eq": "2024-02-01"}}"#, "filters.created_at.eq"),
        (#"{"created_at": {}}"#, "filters.created_at"),
        (#"{"updated_at": {"in": []}}"#, "filters.updated_at.in"),
        (#"{"user_id": 42}"#, "filters.user_id"),
        (#"{"user_id": {"in": "alice"}}"#, "filters.user_id.in"),
        (#"{"user_id": {"in": ["a", 1]}}"#, "filters.user_id.in[1]"),
        (#"{"user_id": {"in": []}}"#, "filters.user_id.in"),
        (#"{"user_id": {"gt": "a"}}"#, "filters.user_id.gt"),
        (#"{"user_id": {"nin": ["a"]}}"#, "filters.user_id.nin"),
        (#"{"agent_id": {"ne": null}}"#, "filters.agent_id.ne"),
        (#"{"categories": "food"}"#, "filters.categories"),
        (#"{"categories": {"eq": "food"}}"#, "filters.categories.eq"),
        (#"{"categories": {"contains": ["food"]}}"#, "filters.categories.contains"),
        (#"{"keywords": "pizza"}"#, "filters.keywords"),
        (#"{"keywords": {"icontains": 3}}"#, "filters.keywords.icontains"),
        (#"{"metadata": "vegan"}"#, "filters.metadata"),
        (#"{"metadata": {}}"#, "filters.metadata"),
        (#"{"metadata": {"food": {"in": ["a", "b"]}}}"#, "filters.metadata.food.in"),
        (#"{"metadata": {"food": {"gt": 1}}}"#, "filters.metadata.food.gt"),
        (#"{"metadata": {"food": ["a", "b"]}}"#, "filters.metadata.food"),
        (#"{"metadata": {"a": {"b": "c"}}}"#, "filters.metadata.a.b"),
        (#"{"OR": [{"user_id": "u"}, {"NOT": {"categories": {"in": [1]}}}]}"#, "filters.OR[1].NOT.categories.in[0]"),
        (#"{"memory_ids": "m1"}"#, "filters.memory_ids"),
        (#"{"NOT": [{"user_id": "a"}, {"run_id": {"ne": 5}}]}"#, "filters.NOT[1].run_id.ne"),
    ]

    @Test(arguments: malformed)
    func malformedFiltersFailAtTheirPath(json: String, path: String) throws {
        let error = #expect(throws: MemoryAPIError.self) { try MemoryFilter.parse(jsonText: json) }
        #expect(error?.code == .validation)
        #expect(error?.path == path, "\(json) → \(error?.message ?? "no error")")
        #expect(error?.message.hasPrefix(path + ": ") == true)
    }

    @Test func atLeastTwentyMalformedCases() {
        #expect(Self.malformed.count >= 20)
    }

    static let wellFormed: [String] = [
        #"{"user_id": "alex"}"#,
        #"{"AND": [{"user_id": "alex"}, {"created_at": {"gte": "2024-07-01", "lte": "2024-07-31"}}, {"categories": {"contains": "food_preferences"}}]}"#,
        #"{"OR": [{"user_id": "alex"}, {"agent_id": {"in": ["travel-assistant", "customer-support"]}}]}"#,
        #"{"AND": [{"user_id": "alice"}, {"run_id": "*"}]}"#,
        #"{"AND": [{"metadata": {"food": "vegan"}}, {"categories": {"in": ["personal_information"]}}]}"#,
        #"{"AND": [{"user_id": "u1"}, {"NOT": {"OR": [{"categories": {"in": ["spam"]}}, {"categories": {"in": ["test"]}}]}}]}"#,
        #"{"AND": [{"agent_id": "*"}, {"agent_id": {"ne": "old_agent"}}]}"#,
        #"{"user_id": "u1", "categories": {"in": ["finance"]}}"#,
        #"{"AND": [{"user_id": "u1"}, {"memory_ids": ["m1", "m2"]}]}"#,
        #"{"NOT": [{"categories": {"in": ["spam"]}}]}"#,
        #"{"NOT": [{"user_id": "a"}, {"user_id": "b"}]}"#,
        #"{"AND": [{"user_id": "u"}], "OR": [{"agent_id": "x"}, {"app_id": "y"}]}"#,
        #"{"metadata": {"food": "vegan", "visits": {"ne": 3}, "note": {"contains": "x"}, "flag": true, "gone": null}}"#,
        #"{"keywords": {"contains": "Pizza", "icontains": "pasta"}}"#,
        #"{"created_at": {"in": ["2024-01-01", "2024-01-02T10:00:00Z"]}, "updated_at": {"lt": "2025-01-01T00:00:00.5+02:00"}}"#,
        #"{"timestamp": {"gte": 1700000000}, "expiration_date": {"ne": "2030-01-01"}}"#,
        #"{"session_id": "s1", "user_id": {"eq": "u"}}"#,
        #"{"memory_ids": {"in": ["m1"]}}"#,
    ]

    @Test(arguments: wellFormed)
    func parseEncodeParseIsIdentity(json: String) throws {
        let parsed = try MemoryFilter.parse(jsonText: json)
        let encoded = parsed.json
        #expect(try MemoryFilter.parse(encoded) == parsed)
        // And the encoding is itself stable.
        #expect(try MemoryFilter.parse(encoded).json == encoded)
    }

    @Test func siblingKeysAreAnded() throws {
        let f = try MemoryFilter.parse(jsonText: #"{"user_id": "u1", "categories": {"in": ["finance"]}}"#)
        guard case .and(let parts) = f else {
            Issue.record("expected AND, got \(f)")
            return
        }
        #expect(parts.count == 2)
    }

    @Test func notListOfSeveralExcludesAnyOfThem() throws {
        let f = try MemoryFilter.parse(jsonText: #"{"NOT": [{"user_id": "a"}, {"user_id": "b"}]}"#)
        #expect(!f.matches(Memory(id: "1", memory: "x", scope: Scope(userID: "a"))))
        #expect(!f.matches(Memory(id: "2", memory: "x", scope: Scope(userID: "b"))))
        #expect(f.matches(Memory(id: "3", memory: "x", scope: Scope(userID: "c"))))
    }

    @Test func decodingAsPartOfARequestNamesThePath() throws {
        let body = #"{"query": "q", "filters": {"AND": [{"user_id": "a"}, {"created_at": {"gte": true}}]}}"#
        let error = #expect(throws: MemoryAPIError.self) {
            try JSONDecoder().decode(SearchRequest.self, from: Data(body.utf8))
        }
        #expect(error?.path == "filters.AND[1].created_at.gte")
    }

    @Test func positiveEntityScope() throws {
        let cases: [(String, Bool)] = [
            (#"{"user_id": "a"}"#, true),
            (#"{"user_id": "*"}"#, true),
            (#"{"user_id": {"ne": "a"}}"#, false),
            (#"{"categories": {"in": ["x"]}}"#, false),
            (#"{"AND": [{"categories": {"in": ["x"]}}, {"agent_id": {"in": ["b"]}}]}"#, true),
            (#"{"OR": [{"user_id": "a"}, {"categories": {"in": ["x"]}}]}"#, false),
            (#"{"OR": [{"user_id": "a"}, {"run_id": "r"}]}"#, true),
            (#"{"NOT": {"user_id": "a"}}"#, false),
        ]
        for (json, expected) in cases {
            #expect(try MemoryFilter.parse(jsonText: json).hasPositiveEntityScope == expected, "\(json)")
        }
    }

    static func memory(
        _ id: String, _ text: String = "text", user: String? = nil, agent: String? = nil, run: String? = nil,
        created: String = "2024-07-15T12:00:00Z", categories: [String]? = nil, metadata: [String: JSONValue]? = nil,
        expires: String? = nil
    ) -> Memory {
        Memory(
            id: id, memory: text, scope: Scope(userID: user, agentID: agent, runID: run), metadata: metadata,
            categories: categories, expirationDate: expires, createdAt: MemoryTimestamp.parse(created),
            updatedAt: MemoryTimestamp.parse(created))
    }

    @Test func evaluatesEntityWildcardAndNe() throws {
        let withRun = Self.memory("1", user: "alice", run: "r1")
        let without = Self.memory("2", user: "alice")
        let wildcard = try MemoryFilter.parse(jsonText: #"{"AND": [{"user_id": "alice"}, {"run_id": "*"}]}"#)
        #expect(wildcard.matches(withRun) && !wildcard.matches(without))
        let ne = try MemoryFilter.parse(jsonText: #"{"run_id": {"ne": "r1"}}"#)
        #expect(!ne.matches(withRun) && ne.matches(without), "ne also matches null")
        let inList = try MemoryFilter.parse(jsonText: #"{"user_id": {"in": ["bob", "alice"]}}"#)
        #expect(inList.matches(without))
    }

    @Test func dateOnlyBoundsNameWholeDays() throws {
        let lastMoment = Self.memory("1", created: "2024-07-31T23:59:59.999Z")
        let nextDay = Self.memory("2", created: "2024-08-01T00:00:00Z")
        let july = try MemoryFilter.parse(jsonText: #"{"created_at": {"gte": "2024-07-01", "lte": "2024-07-31"}}"#)
        #expect(july.matches(lastMoment) && !july.matches(nextDay))
        let after = try MemoryFilter.parse(jsonText: #"{"created_at": {"gt": "2024-07-31"}}"#)
        #expect(!after.matches(lastMoment) && after.matches(nextDay))
        let before = try MemoryFilter.parse(jsonText: #"{"created_at": {"lt": "2024-08-01"}}"#)
        #expect(before.matches(lastMoment) && !before.matches(nextDay))
        let onDay = try MemoryFilter.parse(jsonText: #"{"created_at": "2024-07-31"}"#)
        #expect(onDay.matches(lastMoment) && !onDay.matches(nextDay))
        let instant = try MemoryFilter.parse(jsonText: #"{"created_at": {"lte": "2024-08-01T00:00:00+02:00"}}"#)
        #expect(
            instant.matches(lastMoment) == false && instant.matches(Self.memory("3", created: "2024-07-31T22:00:00Z")))
    }

    @Test func evaluatesCategoriesKeywordsAndMetadata() throws {
        let m = Self.memory(
            "1", "Likes Pizza and pasta", user: "u", categories: ["food_preferences", "likes"],
            metadata: ["food": "vegan", "visits": 3, "note": "call back later"])
        let cases: [(String, Bool)] = [
            (#"{"categories": {"in": ["likes"]}}"#, true),
            (#"{"categories": {"in": ["like"]}}"#, false),
            (#"{"categories": {"contains": "FOOD"}}"#, true),
            (#"{"keywords": {"contains": "Pizza"}}"#, true),
            (#"{"keywords": {"contains": "pizza"}}"#, false),
            (#"{"keywords": {"icontains": "PIZZA"}}"#, true),
            (#"{"metadata": {"food": "vegan"}}"#, true),
            (#"{"metadata": {"food": "vegan", "visits": 3.0}}"#, true),
            (#"{"metadata": {"visits": {"ne": 3}}}"#, false),
            (#"{"metadata": {"missing": {"ne": 3}}}"#, true),
            (#"{"metadata": {"note": {"contains": "back"}}}"#, true),
            (#"{"metadata": {"food": "keto"}}"#, false),
            (#"{"memory_ids": ["0", "1"]}"#, true),
        ]
        for (json, expected) in cases {
            #expect(try MemoryFilter.parse(jsonText: json).matches(m) == expected, "\(json)")
        }
    }
}
