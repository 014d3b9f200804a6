/// A string that compares, hashes and sorts by its UTF-8 bytes.
///
/// Swift's `String` equality (and so `Set`, `Dictionary` and `Hashable`) uses canonical
/// equivalence: `"café"` (NFC) and `"cafe\u{301}"` (NFD) are equal there, while the store, the
/// platform and every file keep them as two values. Ids, scopes and texts are keyed and
/// de-duplicated with this type (or ``Swift/String/isExactly(_:)``) so two spellings stay two.
///
/// ```swift
/// Set([ExactText("café"), ExactText("cafe\u{301}")]).count   // 2
/// ```
public struct ExactText: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The string.
    public let value: String

    /// Wraps a string.
    public init(_ value: String) { self.value = value }

    /// Byte equality.
    public static func == (a: ExactText, b: ExactText) -> Bool { a.value.isExactly(b.value) }

    /// Hashes the UTF-8 bytes.
    public func hash(into hasher: inout Hasher) { ExactText.hash(value, into: &hasher) }

    /// Byte order (code point order for valid UTF-8).
    public static func < (a: ExactText, b: ExactText) -> Bool {
        a.value.utf8.lexicographicallyPrecedes(b.value.utf8)
    }

    /// The string itself.
    public var description: String { value }

    /// Feeds the UTF-8 bytes of `text` (and its length) to a hasher.
    public static func hash(_ text: String?, into hasher: inout Hasher) {
        guard var text else { return hasher.combine(-1) }
        text.withUTF8 { bytes in
            hasher.combine(bytes.count)
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        }
    }
}

extension String {
    /// `true` when both strings hold the same UTF-8 bytes (no canonical equivalence).
    public func isExactly(_ other: String) -> Bool {
        utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8)
    }
}

extension Optional where Wrapped == String {
    /// `true` when both are nil or both hold the same UTF-8 bytes.
    public func isExactly(_ other: String?) -> Bool {
        switch (self, other) {
        case (nil, nil): return true
        case (let a?, let b?): return a.isExactly(b)
        default: return false
        }
    }
}
