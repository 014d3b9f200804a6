import Foundation
import MemoryAPI

/// Guesses the preset from one record: the keys of its top-level object.
public enum PresetSniffer {
    /// The preset a record looks like, or `nil` when it is not an object memport recognises.
    public static func detect(_ record: SourceRecord) -> ImportPreset? {
        switch record.body {
        case .row(let row):
            return row.header.contains("memory") && row.header.contains("id") ? .mem0 : .generic
        case .json(let bytes):
            if let head = record.envelope,
                let envelope = try? JSONDecoder().decode([String: JSONValue].self, from: head),
                let found = detect(envelope: envelope)
            {
                return found
            }
            guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(bytes)) else {
                return nil
            }
            return detect(object)
        }
    }

    /// The preset an envelope's head names, whatever its elements hold.
    static func detect(envelope head: [String: JSONValue]) -> ImportPreset? {
        switch head["kind"]?.stringValue {
        case EnvelopeRule.artifactKind?, EnvelopeRule.reviewKind?: return .mem0Migration
        default: break
        }
        if head["status"] != nil, head["command"] != nil { return .mem0 }
        if head["user"] != nil, head["apps"] != nil || head["categories"] != nil { return .openmemory }
        return nil
    }

    /// The keys a `mem0 import` item or a CLI-printed memory may carry.
    static let cliMemoryKeys: Set<String> = [
        "memory", "text", "content", "id", "user_id", "agent_id", "app_id", "run_id", "session_id", "metadata",
        "categories", "created_at", "updated_at", "expiration_date", "immutable", "hash", "score", "score_breakdown",
        "structured_attributes", "replaced_by", "synthesized", "lifecycle_state",
    ]

    /// The preset for a decoded top-level object.
    public static func detect(_ object: [String: JSONValue]) -> ImportPreset? {
        if object["mapping"]?.objectValue != nil { return .chatgpt }
        if object["chat_messages"]?.arrayValue != nil { return .claude }
        if object["conversation"]?["speaker_a"] != nil { return .locomo }
        if object["conversations"]?.arrayValue != nil { return .sharegpt }
        if object["messages"]?.arrayValue != nil { return .openai }
        if let kind = object["kind"]?.stringValue, kind == EnvelopeRule.artifactKind || kind == EnvelopeRule.reviewKind
        {
            return .mem0Migration
        }
        if object["memory"] != nil, object["source_payload"] != nil { return .mem0Migration }
        if object["memory"] != nil, object["source"]?.stringValue?.contains("_oss_") == true { return .mem0Migration }
        if object["record"]?.objectValue != nil, object["status"]?.stringValue != nil { return .mem0Migration }
        // A `mem0` CLI envelope read whole (an error, or `get --json`).
        if object["status"] != nil, object["command"] != nil { return .mem0 }
        if object["memory"]?.stringValue != nil { return .mem0 }
        if object["text"]?.stringValue != nil || object["content"]?.stringValue != nil,
            object.keys.allSatisfy(cliMemoryKeys.contains)
        {
            return .mem0
        }
        if let results = object["results"]?.arrayValue, let first = results.first?.objectValue {
            return detect(first) == .mem0 ? .mem0 : nil
        }
        if object["content"] != nil { return .generic }
        return nil
    }
}
