import Foundation
import Testing

@testable import MemoryClient

struct RetryAfterTests {
    static let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT

    @Test(arguments: [
        ("2", 2.0), (" 120 ", 120), ("0", 0), ("1.5", 1.5),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30),
        ("Wednesday, 21-Oct-15 07:29:00 GMT", 60),
        ("Wed Oct 21 07:28:05 2015", 5),
        ("Wed, 21 Oct 2015 07:00:00 GMT", 0),  // in the past: no wait
    ])
    func parses(value: String, seconds: Double) {
        #expect(RetryAfter.seconds(from: value, now: Self.now) == seconds)
    }

    @Test(arguments: ["", "soon", "-3", "inf", "nan", "Wed, 32 Oct 2015 07:28:00 GMT"])
    func rejectsNonsense(value: String) {
        #expect(RetryAfter.seconds(from: value, now: Self.now) == nil)
    }
}
