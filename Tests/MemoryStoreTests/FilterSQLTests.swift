import Foundation
import MemoryAPI
import TestSupport
import Testing

@testable import MemoryStore

@Suite struct FilterSQLTests {
    static let users: [String?] = ["alex", "bea", "Ünal", nil]
    static let agents: [String?] = ["bot", "helper", nil]
    static let words = ["tea", "Coffee", "hiking", "über", "Tokyo", "vegan", "nuts", "O'Brien", "50%", "a_b"]
    static let categories = ["food", "travel", "Finance", "personal_information", "misc"]
    static let days = ["2024-07-01", "2024-07-02", "2024-07-03", "2024-07-31", "2024-08-01"]

    /// Random memories, stored; returns them as read back.
    static func populate(_ store: MemoryStore, _ rng: inout SeededRandom) async throws -> [Memory] {
        let project = ProjectContext.default
        for i in 0..<160 {
            let user = users.randomElement(using: &rng)!
            let agent = agents.randomElement(using: &rng)!
            let run: String? = Bool.random(using: &rng) ? "run-\(i % 3)" : nil
            let scope = Scope(userID: user, agentID: agent, runID: run)
            if scope.isEmpty { continue }
            let text = (0..<3).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ") + " #\(i)"
            var meta: [String: JSONValue] = [:]
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: meta["k"] = .string(["x", "y", "xyz"].randomElement(using: &rng)!)
            case 1: meta["k"] = .int(Int64.random(in: 1...3, using: &rng))
            case 2: meta["k"] = .double(2.0)
            case 3: meta["k"] = .bool(Bool.random(using: &rng))
            case 4: meta["k"] = .null
            default: break
            }
            if Bool.random(using: &rng) { meta["memport_import_key"] = .string("key-\(i % 20)") }
            if Bool.random(using: &rng) { meta["odd key"] = .string("v\(i % 2)") }
            let base = MemoryTimestamp.parse("2024-07-01")!.timeIntervalSince1970
            let ts = Int64(base) + Int64.random(in: 0..<(40 * 86_400), using: &rng)
            let expiration: String? = Int.random(in: 0..<4, using: &rng) == 0 ? days.randomElement(using: &rng) : nil
            let messages = [Message(role: .user, text: text), Message(role: .assistant, text: "re: " + text)]
            let added = try await store.add(
                AddRequest(
                    messages: messages, scope: scope, metadata: meta.isEmpty ? nil : meta, timestamp: ts,
                    expirationDate: expiration), in: project)
            for event in added.results where Bool.random(using: &rng) {
                let cats = categories.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }
                try await store.setCategories(cats.isEmpty ? nil : cats, id: event.id!, in: project)
            }
        }
        return try await store.all(filter: nil, showExpired: true, limit: 100_000, in: project)
    }

    static func randomDate(_ rng: inout SeededRandom) -> JSONValue {
        if Bool.random(using: &rng) { return .string(days.randomElement(using: &rng)!) }
        return .string(days.randomElement(using: &rng)! + "T\(Int.random(in: 10...23, using: &rng)):00:00Z")
    }

    static func randomCondition(_ rng: inout SeededRandom, ids: [String]) -> JSONValue {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1:
            let field = ["user_id", "agent_id", "run_id"].randomElement(using: &rng)!
            let pool = (users + agents).compactMap { $0 } + ["run-0", "run-1", "nobody"]
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return [field: .string(pool.randomElement(using: &rng)!)]
            case 1: return [field: ["ne": .string(pool.randomElement(using: &rng)!)]]
            case 2: return [field: ["in": .array((0..<2).map { _ in .string(pool.randomElement(using: &rng)!) })]]
            default: return [field: "*"]
            }
        case 2, 3:
            let field = ["created_at", "updated_at", "timestamp", "expiration_date"].randomElement(using: &rng)!
            let op = ["gte", "lte", "gt", "lt", "ne", "eq", "in"].randomElement(using: &rng)!
            if op == "eq" { return [field: randomDate(&rng)] }
            if op == "in" { return [field: ["in": .array([randomDate(&rng), randomDate(&rng)])]] }
            return [field: .object([op: randomDate(&rng)])]
        case 4:
            if Bool.random(using: &rng) {
                return ["categories": ["in": .array([.string(categories.randomElement(using: &rng)!)])]]
            }
            return ["categories": ["contains": .string(["fin", "FOOD", "o", "person"].randomElement(using: &rng)!)]]
        case 5:
            let op = Bool.random(using: &rng) ? "contains" : "icontains"
            let needle = ["tea", "TEA", "über", "ÜBER", "o'b", "50%", "_", "#1"].randomElement(using: &rng)!
            return ["keywords": .object([op: .string(needle)])]
        case 6:
            return ["memory_ids": .array((0..<3).map { _ in .string(ids.randomElement(using: &rng) ?? "x") })]
        default:
            let key = ["k", "memport_import_key", "odd key"].randomElement(using: &rng)!
            let value: JSONValue = [
                .string("x"), .string("xyz"), .int(2), .double(2.0), .bool(true), .null, .string("key-3"),
                .string("v1"),
            ].randomElement(using: &rng)!
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: return ["metadata": .object([key: value])]
            case 1: return ["metadata": .object([key: ["ne": value]])]
            default:
                return [
                    "metadata": .object([key: ["contains": .string(["x", "y", "key-1"].randomElement(using: &rng)!)]])
                ]
            }
        }
    }

    static func randomFilter(_ rng: inout SeededRandom, depth: Int, ids: [String]) -> JSONValue {
        if depth == 0 || Int.random(in: 0..<3, using: &rng) == 0 { return randomCondition(&rng, ids: ids) }
        let n = Int.random(in: 1...3, using: &rng)
        let operands = JSONValue.array((0..<n).map { _ in randomFilter(&rng, depth: depth - 1, ids: ids) })
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return ["AND": operands]
        case 1: return ["OR": operands]
        case 2: return ["NOT": operands]
        default: return ["NOT": randomFilter(&rng, depth: depth - 1, ids: ids)]
        }
    }

    @Test func sqlAgreesWithTheInMemoryEvaluator() async throws {
        try await TemporaryDirectory.with { dir in
            let store = try MemoryStore(path: dir.path("f.db"))
            var rng = SeededRandom(seed: 42)
            let memories = try await Self.populate(store, &rng)
            #expect(memories.count > 150)
            let ids = memories.map(\.id)
            var nonTrivial = 0
            for _ in 0..<400 {
                let json = Self.randomFilter(&rng, depth: 3, ids: ids)
                let filter = try MemoryFilter.parse(json)
                let expected = Set(memories.filter { filter.matches($0) }.map(\.id))
                let got = try await store.all(filter: filter, showExpired: true, limit: 100_000, in: .default)
                #expect(Set(got.map(\.id)) == expected, "filter \(json.jsonString())")
                if !expected.isEmpty && expected.count < memories.count { nonTrivial += 1 }
            }
            #expect(nonTrivial > 150)
        }
    }

    @Test func valuesAreBoundNeverSpliced() {
        let filter = MemoryFilter.userID("x' OR 1=1 --")
        let sql = FilterSQL(filter)
        #expect(!sql.sql.contains("OR 1=1"))
        #expect(sql.arguments.count == 1)
    }

    /// Issue 13: a wide `OR` compiles to a balanced tree SQLite accepts (a flat chain of 999
    /// was "Expression tree is too large"), and a value holding a NUL is bound whole.
    @Test func wideFiltersRunAndNulValuesMatchWhole() async throws {
        try await TemporaryDirectory.with { dir in
            let store = try MemoryStore(path: dir.path("s.db"))
            _ = try await store.add(
                AddRequest(
                    messages: [Message(role: .user, text: "a\u{0}b")], scope: Scope(userID: "u999"), infer: false),
                in: .default)
            let wide = MemoryFilter.or((0..<2000).map { MemoryFilter.userID("u\($0)") })
            let page = try await store.getAll(filter: wide, in: .default)
            #expect(page.count == 1)
            #expect(page.results.first?.memory.isExactly("a\u{0}b") == true)
            let nulNeedle = MemoryFilter.and([
                .userID("u999"),
                .condition(
                    FilterCondition(field: .keywords, predicates: [FilterPredicate(.contains, .string("\u{0}b"))])),
            ])
            #expect(try await store.getAll(filter: nulNeedle, in: .default).count == 1)
            let cut = MemoryFilter.userID("u999\u{0}x")
            #expect(try await store.getAll(filter: cut, in: .default).count == 0, "not matched by its first bytes")
        }
    }
}
