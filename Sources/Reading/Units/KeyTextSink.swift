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

/// Gathers the key text as bytes, to be hashed in one pass.
struct KeyBytes: KeyTextSink {
    /// The bytes so far.
    var bytes: [UInt8]

    /// Starts with a prefix, with room for `reserve` more bytes.
    init(prefix: [UInt8], reserve: Int) {
        bytes = []
        bytes.reserveCapacity(prefix.count + reserve)
        bytes.append(contentsOf: prefix)
    }

    /// Appends a string's UTF-8 bytes with one copy (in place for a native string).
    mutating func update(_ text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil { bytes.append(contentsOf: text.utf8) }
    }

    /// Appends one byte (a separator).
    mutating func update(byte: UInt8) { bytes.append(byte) }

    mutating func update(decimal value: Int64) {
        DecimalDigits.digits(of: value) { bytes.append(contentsOf: $0) }
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
