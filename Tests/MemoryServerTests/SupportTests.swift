import Foundation
import MemoryAPI
import Testing

@testable import MemoryServer

/// The server reads Python-repr query values with MemoryAPI's `PythonLiteral`.
@Suite struct PythonLiteralQueryTests {
    @Test func readsPythonReprs() throws {
        let v = try PythonLiteral.parse(
            #"{'a': 'b', "n": 3, 'f': 1.5, 't': True, 'z': None, 'l': [1, 'x'], 'e': 'it\'s'}"#)
        #expect(v == ["a": "b", "n": 3, "f": 1.5, "t": true, "z": nil, "l": [1, "x"], "e": "it's"])
        #expect(try PythonLiteral.parse("('a', 'b')") == ["a", "b"])
    }

    @Test func namesTheOffsetOfAProblem() {
        let error = #expect(throws: MemoryAPIError.self) { try PythonLiteral.parse("{'a': nope}") }
        #expect(error?.message.hasPrefix("byte 6:") == true && error?.message.contains("'n'") == true)
        #expect(throws: MemoryAPIError.self) { try PythonLiteral.parse("{'a': 'b'") }
    }
}

@Suite struct QueryItemsTests {
    @Test func keepsRepeatsAndDecodes() {
        let q = QueryItems("categories=a&categories=b%2Cc&name=a+b%21&empty=")
        #expect(q.all("categories") == ["a", "b", "c"])
        #expect(q["name"] == "a b!")
        #expect(q["empty"] == "")
        #expect(q["missing"] == nil)
        #expect(
            q.with(page: 2, pageSize: 10) == "categories=a&categories=b%2Cc&name=a%20b%21&empty=&page=2&page_size=10")
    }
}

@Suite struct FaultPlanTests {
    @Test func sameSeedSameFaults() {
        var a = FaultPlan(rate: 0.5, seed: 9)
        var b = FaultPlan(rate: 0.5, seed: 9)
        let xs = (0..<200).map { _ in a.next() }
        #expect(xs == (0..<200).map { _ in b.next() })
    }

    @Test func rateIsRespectedAndOnlyTransientFaultsOccur() {
        var plan = FaultPlan(rate: 0.3, seed: 1)
        let actions = (0..<10_000).map { _ in plan.next() }
        let faults = actions.filter { $0 != .none }
        #expect(abs(Double(faults.count) / 10_000 - 0.3) < 0.03)
        #expect(faults.contains(.unavailable) && faults.contains(.dropConnection))
        var never = FaultPlan(rate: 0, seed: 1)
        #expect((0..<100).allSatisfy { _ in never.next() == .none })
    }
}

@Suite struct APIKeyTests {
    @Test func parsesKeysAndProjects() throws {
        #expect(try APIKey(parsing: "k").project == .default)
        let scoped = try APIKey(parsing: "k2=acme/prod")
        #expect(scoped.secret == "k2" && scoped.project.orgID == "acme" && scoped.project.projectID == "prod")
        #expect(try APIKey.parseList("a, b=o/p,").map(\.secret) == ["a", "b"])
        #expect(throws: ServerConfigurationError.self) { try APIKey(parsing: "k=noslash") }
        #expect(throws: ServerConfigurationError.self) { try APIKey(parsing: "=o/p") }
    }
}
