import Pipeline
import Testing

/// Secrets removed from target URLs: user info, secret-named query parameters; the rest kept.
struct TargetRedactionTests {
    @Test(arguments: [
        ("http://user:KEY@host:8765", "http://host:8765"),
        ("https://KEY@api.mem0.ai/prefix/", "https://api.mem0.ai/prefix/"),
        ("http://host/?token=abc&region=eu", "http://host/?region=eu"),
        ("http://host/p?api_key=abc", "http://host/p"),
        ("http://u:p@host/?X-Amz-Signature=s&page=2#frag", "http://host/?page=2#frag"),
        ("http://host:1/path", "http://host:1/path"),
        ("embedded:./memport.db", "embedded:./memport.db"),
    ])
    func redacted(_ pair: (String, String)) {
        #expect(TargetRedaction.redacted(pair.0) == pair.1)
    }

    @Test func messagesAreScrubbedOfEveryURLsSecrets() {
        let text = "cannot reach 'http://me:SECRET@10.0.0.1:8765/v1/memories/?token=T2' (refused); see https://x.y/?a=1"
        let scrubbed = TargetRedaction.scrubbing(text)
        #expect(!scrubbed.contains("SECRET") && !scrubbed.contains("T2"))
        #expect(scrubbed == "cannot reach 'http://10.0.0.1:8765/v1/memories/' (refused); see https://x.y/?a=1")
    }
}
