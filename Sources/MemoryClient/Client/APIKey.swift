import Foundation
import MemoryAPI

/// A Mem0 API key that never shows itself: printing, dumping or logging it gives
/// `Token(redacted)`. Only the transport reads ``value``, to write the `Authorization` header.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself.
    let value: String

    /// Wraps a key; an empty or blank key is refused.
    public init(_ value: String) throws {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw MemoryAPIError(.authentication, "the API key is empty")
        }
        guard !trimmed.contains(where: { $0.isNewline || $0 == "\r" }) else {
            throw MemoryAPIError(.authentication, "the API key contains a line break")
        }
        self.value = trimmed
    }

    /// The key from `MEM0_API_KEY` in `environment`, as the Mem0 SDK reads it.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> APIKey {
        guard let raw = environment["MEM0_API_KEY"], !raw.isEmpty else {
            throw MemoryAPIError(.authentication, "no API key: pass one or set MEM0_API_KEY")
        }
        return try APIKey(raw)
    }

    /// `Token(redacted)`.
    public var description: String { "Token(redacted)" }
    /// `Token(redacted)`.
    public var debugDescription: String { description }
    /// A mirror without the secret.
    public var customMirror: Mirror { Mirror(self, children: []) }
}
