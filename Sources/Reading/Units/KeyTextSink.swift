/// Where the text an import key hashes goes, piece by piece: the digest itself on the hot path
/// (no intermediate strings), or a string when the text is wanted whole (tests, diagnostics).
protocol KeyTextSink {
    /// Appends the UTF-8 bytes of a string.
    mutating func update(_ text: String)
    /// Appends a number in decimal, as `String(value)` spells it.
    mutating func update(decimal value: Int64)
}

/// Collects the key text into a string.
struct KeyTextCollector: KeyTextSink {
    /// The text so far.
    var text = ""

    mutating func update(_ text: String) { self.text += text }

    mutating func update(decimal value: Int64) { text += String(value) }
}

/// Gathers the key text as bytes, to be hashed in one pass: into scratch space the caller gives
/// (on the stack, sized for the whole text), or into an array when the text outgrows it.
struct KeyBytes: KeyTextSink {
    private let scratch: UnsafeMutableRawBufferPointer
    private var count = 0
    /// The text once it no longer fits the scratch space.
    private var spilled: [UInt8]?

    /// Starts with a prefix, writing into `scratch` while the text fits.
    init(scratch: UnsafeMutableRawBufferPointer, prefix: [UInt8]) {
        self.scratch = scratch
        prefix.withUnsafeBytes { append($0) }
    }

    /// Appends raw bytes.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        if spilled == nil, count + bytes.count <= scratch.count, let base = scratch.baseAddress {
            (base + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            count += bytes.count
            return
        }
        if spilled == nil { spilled = Array(UnsafeRawBufferPointer(rebasing: scratch[0..<count])) }
        spilled!.append(contentsOf: bytes)
    }

    /// Appends a string's UTF-8 bytes with one copy (in place for a native string).
    mutating func update(_ text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { append(UnsafeRawBufferPointer($0)) }
        if copied == nil { Array(text.utf8).withUnsafeBytes { append($0) } }
    }

    /// Appends one byte (a separator).
    mutating func update(byte: UInt8) {
        withUnsafeBytes(of: byte) { append($0) }
    }

    mutating func update(decimal value: Int64) {
        DecimalDigits.digits(of: value) { append(UnsafeRawBufferPointer($0)) }
    }

    /// The SHA-256 of the text, as 64 lower-case hex digits.
    func hexDigest() -> String {
        var hasher = SHA256()
        if let spilled {
            spilled.withUnsafeBytes { hasher.update(bytes: $0) }
        } else {
            hasher.update(bytes: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
        }
        return hasher.hexDigest()
    }
}

/// A number's decimal digits, as `String(value)` spells them, without making a string.
enum DecimalDigits {
    /// Calls `body` with the digits (and a leading `-` for a negative number).
    static func digits(of value: Int64, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var magnitude = value.magnitude
            var i = buffer.count
            repeat {
                i -= 1
                buffer[i] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                i -= 1
                buffer[i] = 0x2D
            }
            body(UnsafeBufferPointer(rebasing: buffer[i...]))
        }
    }
}

extension SHA256: KeyTextSink {
    /// Adds a number's decimal digits (`String(value)`'s bytes) without making a string.
    public mutating func update(decimal value: Int64) {
        DecimalDigits.digits(of: value) { update(bytes: UnsafeRawBufferPointer($0)) }
    }
}
