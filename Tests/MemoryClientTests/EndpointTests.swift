import Testing

@testable import MemoryClient

struct EndpointTests {
    @Test(arguments: [
        (["v1", "ping"], "/v1/ping/"),
        (["v1", "memories", "a/b c"], "/v1/memories/a%2Fb%20c/"),
        (["v2", "entities", "user", "ali?ce&x=1#f"], "/v2/entities/user/ali%3Fce%26x%3D1%23f/"),
        (["v1", "memories", "é"], "/v1/memories/%C3%A9/"),
        (["v1", "memories", "..", "x"], "/v1/memories/../x/"),
    ])
    func pathsAreEncodedAndEndWithASlash(segments: [String], path: String) {
        #expect(segments.count >= 2)
        let built = "/" + segments.map(Endpoint.encodeSegment).joined(separator: "/") + "/"
        #expect(built == path)
    }

    @Test(arguments: [
        ("https://api.mem0.ai", "https://api.mem0.ai/v1/ping/"),
        ("https://api.mem0.ai/", "https://api.mem0.ai/v1/ping/"),
        ("http://127.0.0.1:8080/prefix", "http://127.0.0.1:8080/prefix/v1/ping/"),
        ("http://h/prefix/deeper//", "http://h/prefix/deeper/v1/ping/"),
    ])
    func baseURLPrefixIsKept(base: String, url: String) {
        #expect(Endpoint("ping", .GET, path: Endpoint.path("v1", "ping"), effect: .read).url(base: base) == url)
    }

    @Test func queryIsPercentEncoded() {
        let e = Endpoint(
            "get_all", .GET, path: Endpoint.path("v1", "memories"),
            query: [("user_id", "a b&c"), ("categories", "x"), ("categories", "y"), ("metadata", #"{"k":"v"}"#)],
            effect: .read)
        #expect(
            e.url(base: "http://h")
                == "http://h/v1/memories/?user_id=a%20b%26c&categories=x&categories=y&metadata=%7B%22k%22%3A%22v%22%7D")
    }

    @Test func effects() {
        #expect(Endpoint.Effect.write.isIdempotent == false)
        #expect(Endpoint.Effect.idempotentWrite.isIdempotent && Endpoint.Effect.idempotentWrite.changesState)
        #expect(Endpoint.Effect.read.isIdempotent && !Endpoint.Effect.read.changesState)
    }
}
