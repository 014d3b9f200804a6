import MemoryAPI
import Testing

@testable import MemoryClient

struct MemoryClientConfigurationTests {
    @Test func defaultsFollowTheSDK() throws {
        let c = try MemoryClientConfiguration(environment: ["MEM0_API_KEY": "m0-k"])
        #expect(c.baseURL == "https://api.mem0.ai")
        #expect(c.apiKey.value == "m0-k")
        #expect(c.apiVersion == .v3)
        #expect(c.pacing == .hostedPlatform)
    }

    @Test func anExplicitKeyWinsOverTheEnvironment() throws {
        let c = try MemoryClientConfiguration(apiKey: "m0-mine", environment: ["MEM0_API_KEY": "m0-env"])
        #expect(c.apiKey.value == "m0-mine")
    }

    @Test func noKeyIsAnAuthenticationError() {
        #expect {
            _ = try MemoryClientConfiguration(environment: [:])
        } throws: { ($0 as? MemoryAPIError)?.code == .authentication }
    }

    @Test func orgAndProjectComeTogether() {
        #expect {
            _ = try MemoryClientConfiguration(apiKey: "k", orgID: "o", environment: [:])
        } throws: { ($0 as? MemoryAPIError)?.code == .validation }
        #expect(throws: Never.self) {
            _ = try MemoryClientConfiguration(apiKey: "k", orgID: "o", projectID: "p", environment: [:])
        }
    }

    @Test(arguments: ["ftp://h", "not a url", "http://", "/relative"])
    func refusesBadBaseURLs(url: String) {
        #expect(throws: MemoryAPIError.self) { _ = try MemoryClientConfiguration(baseURL: url, apiKey: "k") }
    }

    @Test func localTargetsAreUnpaced() throws {
        let c = try MemoryClientConfiguration(baseURL: "http://127.0.0.1:9", apiKey: "k")
        #expect(c.pacing.requestsPerMinute == 0)
    }
}
