import Foundation
import Reading
import Testing

/// `SHA256` is swift-crypto's digest under the API the hand-written one had: every vector here
/// is Python's `hashlib.sha256(...).hexdigest()`, which the earlier implementation matched too.
@Suite struct SHA256Tests {
    // FIPS 180-4 examples and others, checked against Python's hashlib.
    @Test func knownVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(SHA256.hex("Héllo 👋 ∑") == "58b9f38156a6cf3921d3b310b430511b548f2ee9dd07709af13aca6670436405")
    }

    @Test func streamingInUnevenChunksMatchesOneShot() {
        let bytes = (0..<5).flatMap { _ in (0...255).map { UInt8($0) } }
        for chunk in [1, 7, 63, 64, 65, 200] {
            var h = SHA256()
            var i = 0
            while i < bytes.count {
                h.update(bytes[i..<min(i + chunk, bytes.count)])
                i += chunk
            }
            #expect(
                h.hexDigest() == "d414b085826eb06778483ba35564dc849e643359f69ed9747878ba6e54985bed", "chunk \(chunk)")
        }
    }

    /// Data (backup checksums), arrays, slices, strings, substrings and raw buffers hash alike.
    @Test func everyInputShapeHashesItsBytes() {
        let bytes = (0..<100_000).map { UInt8($0 % 251) }
        let expected = "cd2df694e424bc7968cc37f47751019e5ca0cd1bdf2e479ea537c3a1c32ee1aa"
        #expect(SHA256.hex(bytes) == expected)
        #expect(SHA256.hex(Data(bytes)) == expected)
        var chunked = SHA256()
        chunked.update(Data(bytes[0..<40_000]))
        chunked.update(bytes[40_000..<70_001])
        bytes[70_001...].withUnsafeBytes { chunked.update(bytes: $0) }
        #expect(chunked.hexDigest() == expected)
        #expect(SHA256.hexString(chunked.finalize()) == expected)

        let text = "x-Héllo 👋 ∑-y"
        var fromSubstring = SHA256()
        fromSubstring.update(text.dropFirst(2).dropLast(2))
        #expect(fromSubstring.hexDigest() == SHA256.hex("Héllo 👋 ∑"))
        // A bridged or lazily built string reads the same bytes.
        let built = String(decoding: Array("Héllo 👋 ∑".utf8), as: UTF8.self)
        #expect(SHA256.hex(built) == SHA256.hex(Array("Héllo 👋 ∑".utf8)))
    }

    /// Numbers hashed digit by digit spell what `String(value)` spells, the extremes included.
    @Test func decimalsHashAsTheirText() {
        var h = SHA256()
        for (i, value) in [Int64.min, 0, 42, -7].enumerated() {
            if i > 0 { h.update("|") }
            h.update(decimal: value)
        }
        #expect(h.hexDigest() == "378595f37e2975cda94d6e638b74fb395e7f683265889e2a1aaab04fe6423ec0")
        for value: Int64 in [0, 9, 10, -1, 1_714_000_000, .max, .min] {
            var d = SHA256()
            d.update(decimal: value)
            #expect(d.hexDigest() == SHA256.hex(String(value)), "\(value)")
        }
    }
}
