import Crypto

/// SHA-256 (FIPS 180-4), for import keys, content hashes, job ids and backup checksums.
///
/// A thin layer over swift-crypto's `SHA256` (BoringSSL's hardware-accelerated one on Linux,
/// CryptoKit on Apple platforms) that hashes bytes and strings in place, without copying them
/// into arrays, and spells the digest as lower-case hex. The digests are the standard ones, so
/// every key and checksum written before (by the earlier hand-written implementation) is the same.
///
/// ```swift
/// SHA256.hex("abc")   // "ba7816bf…"
/// var h = SHA256(); h.update(chunk1); h.update(chunk2); let digest = h.finalize()
/// ```
public struct SHA256: Sendable {
    private var hasher = Crypto.SHA256()

    /// Starts a new digest.
    public init() {}

    /// Adds bytes to the digest.
    public mutating func update(_ bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            Array(bytes).withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
    }

    /// Adds raw bytes to the digest.
    public mutating func update(bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// Adds the UTF-8 bytes of a string, read in place when the string is native.
    public mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    /// Adds the UTF-8 bytes of a substring, read in place when its base is native.
    public mutating func update(_ text: Substring) {
        var text = text
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    /// Finishes and returns the 32-byte digest.
    public func finalize() -> [UInt8] {
        Array(hasher.finalize())
    }

    /// The digest as 64 lower-case hex characters.
    public func hexDigest() -> String {
        hasher.finalize().withUnsafeBytes { Self.hexString($0) }
    }

    /// The hex digest of some bytes.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        var h = SHA256()
        h.update(bytes)
        return h.hexDigest()
    }

    /// The hex digest of a string's UTF-8 bytes.
    public static func hex(_ text: String) -> String {
        var h = SHA256()
        h.update(text)
        return h.hexDigest()
    }

    /// Lower-case hex of bytes.
    public static func hexString(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hexString($0) }
    }

    /// Lower-case hex of raw bytes, written straight into the string's storage.
    public static func hexString(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var i = 0
            for b in bytes {
                out[i] = digit(b >> 4)
                out[i + 1] = digit(b & 0x0f)
                i += 2
            }
            return i
        }
    }

    /// The lower-case hex digit of a nibble.
    @inline(__always) private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x57 + nibble
    }
}
