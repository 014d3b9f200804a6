import Foundation
import MemoryAPI

/// Decodes one record's JSON into an adapter's `Codable` type, turning decoder errors into
/// `ReadingError`s that name the reason (`invalid_json`, `invalid_utf8`, `wrong_type`) and the
/// JSON path of the bad value.
public struct RecordDecoding {
    private let decoder = JSONDecoder()
    /// The last tape's entries, reused by the next record's tape.
    private let spare = JSONTape.Spare()

    /// Creates a decoder.
    public init() {}

    /// Decodes a record's bytes.
    public func decode<T: Decodable>(_ type: T.Type, from data: Data, at locator: RecordLocator) throws(ReadingError)
        -> T
    {
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw Self.describe(error, data: data, at: locator)
        } catch {
            throw ReadingError(.invalidJSON, "\(error)", at: locator)
        }
    }

    /// Decodes a record's bytes held in an array.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], at locator: RecordLocator)
        throws(ReadingError) -> T
    {
        try decode(type, from: Data(bytes), at: locator)
    }

    /// Parses a JSON record whose top level must be an object (`what` names it in the error) and
    /// hands the object to `body`; any failure becomes a reject naming the record, so one bad
    /// record never stops the others.
    public func mapObject(
        _ record: SourceRecord, what: String = "an object", into output: inout [AdapterOutput],
        _ body: (JSONNode, inout [AdapterOutput]) throws(ReadingError) -> Void
    ) {
        guard case .json(let bytes) = record.body else { return }
        do throws(ReadingError) {
            let root = try tape(bytes, at: record.locator).root
            guard root.kind == .object else {
                throw ReadingError(.wrongType, "expected \(what), got \(root.typeDescription)", path: "$")
            }
            try body(root, &output)
        } catch {
            output.append(.reject(ImportReject(error, at: record.locator, raw: record.rawBytes)))
        }
    }

    /// Parses a record into a tape, naming the fault of a bad one.
    public func tape(_ bytes: [UInt8], at locator: RecordLocator) throws(ReadingError) -> JSONTape {
        do {
            return try spare.parse(bytes)
        } catch {
            let offset = error.locator?.offset ?? 0
            if error.code == .invalidUTF8 {
                var here = locator
                here.offset += offset
                throw ReadingError(
                    .invalidUTF8, "the record is not valid UTF-8 (first bad byte at record byte \(offset))", at: here)
            }
            throw ReadingError(.invalidJSON, "not valid JSON: \(error.message)", at: locator)
        }
    }

    /// Classifies a decoding error.
    static func describe(_ error: DecodingError, data: Data, at locator: RecordLocator) -> ReadingError {
        if String(validating: data, as: UTF8.self) == nil {
            let bad = firstInvalidUTF8([UInt8](data))
            var here = locator
            here.offset += Int64(bad)
            return ReadingError(
                .invalidUTF8, "the record is not valid UTF-8 (first bad byte at record byte \(bad))", at: here)
        }
        switch error {
        case .typeMismatch(let type, let context):
            return ReadingError(
                .wrongType, "expected \(typeName(type)): \(context.debugDescription)", at: locator,
                path: path(context.codingPath))
        case .valueNotFound(let type, let context):
            return ReadingError(
                .wrongType, "expected \(typeName(type)), found null", at: locator, path: path(context.codingPath))
        case .keyNotFound(let key, let context):
            return ReadingError(
                .wrongType, "the required field '\(key.stringValue)' is missing", at: locator,
                path: path(context.codingPath + [key]))
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let cause = (context.underlyingError.map { "\($0)" }) ?? context.debugDescription
                return ReadingError(.invalidJSON, "not valid JSON: \(shorten(cause))", at: locator)
            }
            return ReadingError(
                .wrongType, context.debugDescription, at: locator, path: path(context.codingPath))
        @unknown default:
            return ReadingError(.invalidJSON, "\(error)", at: locator)
        }
    }

    /// `messages[2].content` from a coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let i = key.intValue {
                text += "[\(i)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text.isEmpty ? "$" : text
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Int64.Type, is Double.Type: return "a number"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return name
        }
    }

    private static func shorten(_ text: String) -> String {
        text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    /// The index of the first byte that does not start a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let trailing: Int
            if b < 0x80 {
                i += 1
                continue
            } else if b >= 0xC2, b <= 0xDF {
                trailing = 1
            } else if b & 0xF0 == 0xE0 {
                trailing = 2
            } else if b >= 0xF0, b <= 0xF4 {
                trailing = 3
            } else {
                return i
            }
            for k in 1...trailing {
                guard i + k < bytes.count, bytes[i + k] & 0xC0 == 0x80 else { return i }
            }
            i += trailing + 1
        }
        return i
    }
}
