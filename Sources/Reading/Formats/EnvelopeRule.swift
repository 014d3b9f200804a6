import Foundation
import MemoryAPI

/// Which top-level objects are envelopes whose array the JSON reader streams element by
/// element, decided from the array's key and the members before it (the envelope's head).
///
/// - `results`: a Mem0 page `{count, next, previous, results}` (always).
/// - `data`: a Mem0 CLI envelope, when the head has `status` or `command`, its `status` (if any)
///   is `success` and its `scope` (if any) an object; any other envelope is read whole, so its
///   error or its bad field is one reject naming it.
/// - `records`: the official migration's artifact (`kind: mem0_oss_qdrant_export`) or review file
///   (`kind: mem0_platform_import_review`).
/// - `memories`: an OpenMemory `memories.json`, when the head has `user`, `apps` or `categories`.
public enum EnvelopeRule {
    /// The migration artifact's `kind`.
    public static let artifactKind = "mem0_oss_qdrant_export"
    /// The migration review file's `kind`.
    public static let reviewKind = "mem0_platform_import_review"

    private static let candidates: [(String, [UInt8])] = ["results", "data", "records", "memories"].map {
        ($0, Array($0.utf8))
    }

    /// The key's name when it may open a streamed array.
    static func candidate(_ key: UnsafeBufferPointer<UInt8>) -> String? {
        for (name, bytes) in candidates where key.elementsEqual(bytes) { return name }
        return nil
    }

    /// `true` when the array under `key` is streamed, given the members before it.
    public static func accepts(key: String, head: Data) -> Bool {
        if key == "results" { return true }
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: head) else { return false }
        switch key {
        case "data":
            guard object["status"] != nil || object["command"] != nil else { return false }
            if let status = object["status"], status != .string("success") { return false }
            switch object["scope"] {
            case nil, .null?, .object?: return true
            default: return false
            }
        case "records":
            let kind = object["kind"]?.stringValue
            return kind == artifactKind || kind == reviewKind
        case "memories": return object["user"] != nil || object["apps"] != nil || object["categories"] != nil
        default: return false
        }
    }
}
