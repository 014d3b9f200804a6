import Foundation
import MemoryAPI

/// Guesses the preset from one record: the keys of its top-level object.
public enum PresetSniffer {
    /// The preset a record looks like, or `nil` when it is not an object memport recognises.
    public static func detect(_ record: SourceRecord) -> ImportPreset? {
        switch record.body {
        case .row(let row):
            return row.header.contains("memory") && row.header.contains("id") ? .mem0 : .generic
        case .json(let data):
            guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: data) else { return nil }
            return detect(object)
        }
    }

    /// The preset for a decoded top-level object.
    public static func detect(_ object: [String: JSONValue]) -> ImportPreset? {
        if object["mapping"]?.objectValue != nil { return .chatgpt }
        if object["chat_messages"]?.arrayValue != nil { return .claude }
        if object["conversation"]?["speaker_a"] != nil { return .locomo }
        if object["conversations"]?.arrayValue != nil { return .sharegpt }
        if object["messages"]?.arrayValue != nil { return .openai }
        if object["memory"]?.stringValue != nil, object["id"] != nil { return .mem0 }
        if let results = object["results"]?.arrayValue, let first = results.first?.objectValue {
            return detect(first) == .mem0 ? .mem0 : nil
        }
        if object["content"] != nil { return .generic }
        return nil
    }
}
