import Foundation
import MemoryAPI

/// What the job ledger records about an input to tell whether it changed between runs: path,
/// size, modification time and a hash of its first bytes.
public struct SourceFingerprint: Sendable, Hashable, Codable {
    /// The source's identity (absolute path, or `stdin`).
    public var identity: String
    /// The size in bytes on disk, when known.
    public var size: Int64?
    /// The modification time in Unix seconds, when known.
    public var modified: Double?
    /// SHA-256 of the first 64 KiB as read from disk (compressed bytes for gzip).
    public var headHash: String

    /// Creates a fingerprint.
    public init(identity: String, size: Int64?, modified: Double?, headHash: String) {
        self.identity = identity
        self.size = size
        self.modified = modified
        self.headHash = headHash
    }

    /// How many leading bytes `headHash` covers.
    public static let headLength = 64 * 1024

    enum CodingKeys: String, CodingKey {
        case identity, size, modified
        case headHash = "head_sha256"
    }
}
