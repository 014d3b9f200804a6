import Foundation
import MemoryAPI

/// An OpenMemory backup zip (`memories_export_<user>.zip`, written by OpenMemory's
/// `POST /api/v1/backup/export`): picks the entry to read (`memories.jsonl.gz` when present,
/// else `memories.json`) and the backup's user (`user.user_id` in `memories.json`, else the
/// archive's name).
public struct OpenMemoryBackup {
    /// The stream over the chosen entry.
    public var stream: ByteStream
    /// How the entry is read: NDJSON for `memories.jsonl.gz`, JSON for `memories.json`.
    public var format: InputFormat
    /// The user the backup belongs to, when known.
    public var userID: String?

    /// The streamed entry of the newer backups.
    public static let linesEntry = "memories.jsonl.gz"
    /// The full export.
    public static let jsonEntry = "memories.json"

    /// Opens the archive a source names.
    ///
    /// - Throws: `ReadingError` when the archive cannot be listed or holds neither entry.
    public static func open(_ source: InputSource, chunkSize: Int) throws -> OpenMemoryBackup {
        let zip = try ZipArchive(path: source.name)
        let json = zip.entry(named: jsonEntry)
        let lines = zip.entry(named: linesEntry)
        var userID: String?
        if let json, let stream = try? entryStream(zip, json, source: source, chunkSize: chunkSize) {
            // The user comes first in memories.json: read records until the head is known.
            let reader = JSONStreamReader(stream: stream, maxRecordBytes: 64 << 20)
            if case .record(let record)? = try? reader.next(), let head = record.envelope,
                let object = try? JSONDecoder().decode([String: JSONValue].self, from: head)
            {
                userID = object["user"]?["user_id"]?.stringValue
            }
        }
        if userID == nil { userID = userFromName(source.name) }
        guard let chosen = lines ?? json else {
            throw ReadingError(
                .unknownFormat,
                "\(source.name) is a zip archive without \(linesEntry) or \(jsonEntry): not an OpenMemory backup",
                at: RecordLocator(file: source.name))
        }
        return OpenMemoryBackup(
            stream: try entryStream(zip, chosen, source: source, chunkSize: chunkSize),
            format: chosen.name == linesEntry ? .ndjson : .json, userID: userID)
    }

    /// `alice` from `memories_export_alice.zip`.
    static func userFromName(_ path: String) -> String? {
        let base = (path as NSString).lastPathComponent
        guard base.hasPrefix("memories_export_"), base.lowercased().hasSuffix(".zip") else { return nil }
        let user = String(base.dropFirst("memories_export_".count).dropLast(4))
        return user.isEmpty ? nil : user
    }

    static func entryStream(
        _ zip: ZipArchive, _ entry: ZipArchive.Entry, source: InputSource, chunkSize: Int
    ) throws -> ByteStream {
        try ByteStream(
            source, provider: try zip.reader(for: entry), identity: source.identity + "!" + entry.name,
            chunkSize: chunkSize)
    }
}
