import Foundation
import MemoryAPI
import Reading

/// `manifest.json` of a backup: who wrote it, from where, when, how many memories the source
/// said it held, and every file with its count (counted while writing, then checked against
/// the records the file holds) and SHA-256, so a restore can refuse a damaged or short backup
/// before importing anything.
public struct BackupManifest: Sendable, Hashable, Codable {
    /// One file of the backup.
    public struct File: Sendable, Hashable, Codable {
        /// The name, relative to the backup directory.
        public var name: String
        /// Memories in it: counted while it was written, and checked against its records.
        public var count: Int
        /// Its size in bytes.
        public var bytes: Int64
        /// SHA-256 of its bytes, 64 hex digits.
        public var sha256: String

        /// Creates an entry.
        public init(name: String, count: Int, bytes: Int64, sha256: String) {
            self.name = name
            self.count = count
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    /// The manifest's own version.
    public var manifestVersion = 1
    /// The memport version that wrote it.
    public var memportVersion: String
    /// The source target, without secrets.
    public var source: String
    /// When the backup finished (ISO 8601).
    public var createdAt: String
    /// The entities exported (`user_id=alice`, ...).
    public var entities: [String]
    /// The container of the files.
    public var format: ExportFormat
    /// Whether the files are gzip.
    public var gzip: Bool
    /// The files.
    public var files: [File]
    /// The memories the source said it held when the backup started (the `count` of a listing
    /// of every memory); nil when it could not say.
    public var serverCount: Int?

    /// Creates a manifest.
    public init(
        memportVersion: String, source: String, createdAt: String, entities: [String], format: ExportFormat,
        gzip: Bool, files: [File], serverCount: Int? = nil
    ) {
        self.memportVersion = memportVersion
        self.source = source
        self.createdAt = createdAt
        self.entities = entities
        self.format = format
        self.gzip = gzip
        self.files = files
        self.serverCount = serverCount
    }

    enum CodingKeys: String, CodingKey {
        case source, entities, format, gzip, files
        case manifestVersion = "manifest_version"
        case memportVersion = "memport_version"
        case createdAt = "created_at"
        case serverCount = "server_count"
    }

    /// The manifest file's name.
    public static let fileName = "manifest.json"

    /// Memories across the files.
    public var total: Int { files.reduce(0) { $0 + $1.count } }

    /// SHA-256 and size of a file, read in 1 MiB chunks.
    ///
    /// - Throws: `PipelineError` `.corruptBackup` naming the file when it cannot be read.
    public static func digest(of path: String) throws -> (sha256: String, bytes: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PipelineError(.corruptBackup, "\(path) is missing or unreadable")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw PipelineError(.corruptBackup, "\(path) cannot be read: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            hasher.update(chunk)
            bytes += Int64(chunk.count)
        }
        return (hasher.hexDigest(), bytes)
    }

    /// The NDJSON records a file holds (gzip or not): its newline-ended lines, plus a last line
    /// without its newline; `cutShort` says why the file ends early (a gzip stream cut off, or a
    /// last line without its newline).
    ///
    /// - Throws: `PipelineError` `.corruptBackup` when the file cannot be read.
    public static func records(in path: String) throws -> (count: Int, cutShort: String?) {
        let stream: ByteStream
        do {
            stream = try ByteStream(InputSource(path))
        } catch {
            throw PipelineError(.corruptBackup, "\(path) is missing or unreadable: \(error)")
        }
        var lines = 0
        var lineHasBytes = false
        do {
            while let chunk = try stream.nextChunk() {
                for byte in chunk {
                    if byte == 0x0A {
                        if lineHasBytes { lines += 1 }
                        lineHasBytes = false
                    } else if byte != 0x0D && byte != 0x20 {
                        lineHasBytes = true
                    }
                }
            }
        } catch let error as PipelineError {
            return (lines, "\(error.code): \(error.message)")
        }
        if lineHasBytes { return (lines + 1, "its last line has no newline: it was cut short") }
        return (lines, nil)
    }

    /// Reads and checks a backup directory: the manifest parses and every file exists with the
    /// recorded size and SHA-256, and holds as many records as the manifest counts.
    ///
    /// - Throws: `PipelineError` `.corruptBackup` naming the first file that is missing, differs
    ///   or holds another number of memories (both numbers named).
    public static func verified(directory: String) throws -> BackupManifest {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError(.corruptBackup, "\(path) is missing: not a memport backup")
        }
        let manifest: BackupManifest
        do {
            manifest = try JSONDecoder().decode(BackupManifest.self, from: data)
        } catch {
            throw PipelineError(.corruptBackup, "\(path) is not a valid manifest: \(MemoryAPIError.describe(error))")
        }
        for file in manifest.files {
            guard !file.name.contains("/"), !file.name.hasPrefix(".") else {
                throw PipelineError(.corruptBackup, "\(path) names a file outside the backup: \(file.name)")
            }
            let filePath = directory + "/" + file.name
            let (sha, bytes) = try digest(of: filePath)
            if manifest.format == .ndjson {
                let held = try records(in: filePath)
                if held.count != file.count || held.cutShort != nil {
                    throw PipelineError(
                        .corruptBackup,
                        "\(filePath) holds \(held.count) memories\(held.cutShort.map { " (\($0))" } ?? ""), "
                            + "the manifest records \(file.count): the backup is incomplete or damaged")
                }
            }
            if bytes != file.bytes || sha != file.sha256 {
                throw PipelineError(
                    .corruptBackup,
                    "\(filePath) is corrupted: \(bytes) bytes with sha256 \(sha), the manifest records \(file.bytes) "
                        + "bytes with sha256 \(file.sha256)")
            }
        }
        return manifest
    }
}
