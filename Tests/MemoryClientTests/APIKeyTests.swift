import MemoryAPI
import Testing

@testable import MemoryClient

struct APIKeyTests {
    @Test func neverShowsItself() throws {
        let key = try APIKey("m0-supersecret")
        for text in ["\(key)", String(describing: key), String(reflecting: key), "\([key])", dumped(key)] {
            #expect(!text.contains("supersecret"), "\(text)")
        }
        #expect(key.value == "m0-supersecret")
    }

    @Test func readsTheEnvironmentAsTheSDKDoes() throws {
        #expect(try APIKey.fromEnvironment(["MEM0_API_KEY": " m0-env \n"]).value == "m0-env")
        #expect(throws: MemoryAPIError.self) { try APIKey.fromEnvironment([:]) }
        #expect(throws: MemoryAPIError.self) { try APIKey.fromEnvironment(["MEM0_API_KEY": ""]) }
    }

    @Test(arguments: ["", "   ", "a\nb", "a\r\nb"])
    func refusesUnusableKeys(raw: String) {
        #expect(throws: MemoryAPIError.self) { try APIKey(raw) }
    }

    private func dumped(_ value: some Any) -> String {
        var out = ""
        dump(value, to: &out)
        return out
    }
}
