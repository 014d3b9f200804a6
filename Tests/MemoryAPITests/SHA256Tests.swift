import Testing

@testable import MemoryAPI

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
}
