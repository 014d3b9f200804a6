import Foundation

/// Encodes `Encodable` types into a ``JSONValue`` and its compact text, without `JSONEncoder`.
///
/// Every add the client sends and every answer the server writes went through `JSONEncoder`,
/// whose dynamic casts (is it a `Date`, a `URL`, a dictionary?) cost more than the writing. The
/// text is ``JSONValue/write(into:)``'s: sorted keys, no escaped slashes, byte for byte what
/// `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]`. `Date` encodes as
/// `JSONEncoder`'s default does (seconds since 2001), `URL` as its absolute string and `Data` as
/// Base64.
///
/// ```swift
/// let body = try JSONValueEncoder().encodeData(addRequest)
/// ```
public struct JSONValueEncoder: Sendable {
    /// Values the types' `encode(to:)` can read, as with `JSONEncoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// Creates an encoder.
    public init() {}

    /// The value as a tree.
    ///
    /// - Throws: `EncodingError.invalidValue` for a number that is not finite.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let slot = EncodingSlot()
        try TreeEncoder(slot: slot, codingPath: [], userInfo: userInfo).box(value)
        return slot.resolve()
    }

    /// The value as compact UTF-8 JSON text with sorted keys.
    ///
    /// - Throws: `EncodingError.invalidValue` for a number that is not finite.
    public func encodeData<T: Encodable>(_ value: T) throws -> Data {
        Data(try encode(value).jsonString().utf8)
    }
}

/// Where one encoded value lands: nothing yet, a finished value, or a container still filling.
private final class EncodingSlot {
    enum Content {
        case empty
        case leaf(JSONValue)
        case object(ObjectBox)
        case array(ArrayBox)
    }

    /// A field or an item: finished, or a slot a nested encoder still writes into.
    enum Entry {
        case leaf(JSONValue)
        case slot(EncodingSlot)

        func resolve() -> JSONValue {
            switch self {
            case .leaf(let v): return v
            case .slot(let s): return s.resolve()
            }
        }
    }

    final class ObjectBox {
        var fields: [String: Entry] = [:]
    }

    final class ArrayBox {
        var items: [Entry] = []
    }

    var content = Content.empty

    func resolve() -> JSONValue {
        switch content {
        case .empty: return .object([:])
        case .leaf(let v): return v
        case .object(let box): return .object(box.fields.mapValues { $0.resolve() })
        case .array(let box): return .array(box.items.map { $0.resolve() })
        }
    }

    func objectBox() -> ObjectBox {
        if case .object(let box) = content { return box }
        let box = ObjectBox()
        content = .object(box)
        return box
    }

    func arrayBox() -> ArrayBox {
        if case .array(let box) = content { return box }
        let box = ArrayBox()
        content = .array(box)
        return box
    }
}

/// The `Encoder` writing into one slot.
private struct TreeEncoder: Encoder {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    /// The entry for `value`: leaves for the common types, a filled slot for the rest.
    static func entry<T: Encodable>(
        _ value: T, path: [any CodingKey], userInfo: [CodingUserInfoKey: Any]
    ) throws -> EncodingSlot.Entry {
        if let leaf = try leaf(value, path: path) { return .leaf(leaf) }
        let slot = EncodingSlot()
        try value.encode(to: TreeEncoder(slot: slot, codingPath: path, userInfo: userInfo))
        return .slot(slot)
    }

    /// The types written as a value of their own rather than through their `encode(to:)`:
    /// compared by metadata, which costs a pointer comparison where a cast would search.
    static func leaf<T: Encodable>(_ value: T, path: [any CodingKey]) throws -> JSONValue? {
        let type = T.self
        if type == String.self { return .string(value as! String) }
        if type == JSONValue.self { return value as? JSONValue }
        if type == Bool.self { return .bool(value as! Bool) }
        if type == Int.self { return .int(Int64(value as! Int)) }
        if type == Int64.self { return .int(value as! Int64) }
        if type == Double.self { return try number(value as! Double, path: path) }
        if type == Date.self { return try number((value as! Date).timeIntervalSinceReferenceDate, path: path) }
        if type == URL.self { return .string((value as! URL).absoluteString) }
        if type == Data.self { return .string((value as! Data).base64EncodedString()) }
        return nil
    }

    static func number(_ d: Double, path: [any CodingKey]) throws -> JSONValue {
        guard d.isFinite else {
            throw EncodingError.invalidValue(
                d, .init(codingPath: path, debugDescription: "Unable to encode \(d) directly in JSON."))
        }
        return .double(d)
    }

    /// An integer as ``JSONValue`` holds it; one beyond 64-bit signed range is refused rather
    /// than rounded.
    static func integer<N: BinaryInteger>(_ v: N) throws -> JSONValue {
        guard let i = Int64(exactly: v) else {
            throw EncodingError.invalidValue(
                v, .init(codingPath: [], debugDescription: "\(v) is outside the 64-bit signed range JSONValue holds."))
        }
        return .int(i)
    }

    func box<T: Encodable>(_ value: T) throws {
        if let leaf = try Self.leaf(value, path: codingPath) {
            slot.content = .leaf(leaf)
        } else {
            try value.encode(to: self)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer<Key>(box: slot.objectBox(), codingPath: codingPath, userInfo: userInfo))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(box: slot.arrayBox(), codingPath: codingPath, userInfo: userInfo)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }
}

extension TreeEncoder: SingleValueEncodingContainer {
    mutating func encodeNil() throws { slot.content = .leaf(.null) }
    mutating func encode(_ value: Bool) throws { slot.content = .leaf(.bool(value)) }
    mutating func encode(_ value: String) throws { slot.content = .leaf(.string(value)) }
    mutating func encode(_ value: Double) throws { slot.content = .leaf(try Self.number(value, path: codingPath)) }
    mutating func encode(_ value: Float) throws {
        slot.content = .leaf(try Self.number(Double(value), path: codingPath))
    }
    mutating func encode(_ value: Int) throws { slot.content = .leaf(try Self.integer(value)) }
    mutating func encode(_ value: Int8) throws { slot.content = .leaf(try Self.integer(value)) }
    mutating func encode(_ value: Int16) throws { slot.content = .leaf(try Self.integer(value)) }
    mutating func encode(_ value: Int32) throws { slot.content = .leaf(try Self.integer(value)) }
    mutating func encode(_ value: Int64) throws { slot.content = .leaf(try Self.integer(value)) }
    mutating func encode(_ value: UInt) throws { slot.content = .leaf(try Self.integer(value)) }
    mutating func encode(_ value: UInt8) throws { slot.content = .leaf(try Self.integer(value)) }
    mutating func encode(_ value: UInt16) throws { slot.content = .leaf(try Self.integer(value)) }
    mutating func encode(_ value: UInt32) throws { slot.content = .leaf(try Self.integer(value)) }
    mutating func encode(_ value: UInt64) throws { slot.content = .leaf(try Self.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try box(value) }
}

/// An object being filled.
private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: EncodingSlot.ObjectBox
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    mutating func encodeNil(forKey key: Key) throws { box.fields[key.stringValue] = .leaf(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.fields[key.stringValue] = .leaf(.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws {
        box.fields[key.stringValue] = .leaf(.string(value))
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        box.fields[key.stringValue] = .leaf(try TreeEncoder.number(value, path: codingPath + [key]))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        box.fields[key.stringValue] = .leaf(try TreeEncoder.number(Double(value), path: codingPath + [key]))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(try TreeEncoder.integer(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(try TreeEncoder.integer(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(try TreeEncoder.integer(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(try TreeEncoder.integer(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(try TreeEncoder.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(try TreeEncoder.integer(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(try TreeEncoder.integer(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(try TreeEncoder.integer(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(try TreeEncoder.integer(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(try TreeEncoder.integer(value), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.fields[key.stringValue] = try TreeEncoder.entry(value, path: codingPath + [key], userInfo: userInfo)
    }

    func put(_ value: JSONValue, _ key: Key) { box.fields[key.stringValue] = .leaf(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        nestedEncoder(key.stringValue, key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        nestedEncoder(key.stringValue, key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { nestedEncoder("super", TreeIndexKey(stringValue: "super")) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { nestedEncoder(key.stringValue, key) }

    func nestedEncoder(_ name: String, _ key: any CodingKey) -> TreeEncoder {
        let slot = EncodingSlot()
        box.fields[name] = .slot(slot)
        return TreeEncoder(slot: slot, codingPath: codingPath + [key], userInfo: userInfo)
    }
}

/// An array being filled.
private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: EncodingSlot.ArrayBox
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    var count: Int { box.items.count }
    var nextPath: [any CodingKey] { codingPath + [TreeIndexKey(index: count)] }

    mutating func encodeNil() throws { box.items.append(.leaf(.null)) }
    mutating func encode(_ value: Bool) throws { box.items.append(.leaf(.bool(value))) }
    mutating func encode(_ value: String) throws { box.items.append(.leaf(.string(value))) }
    mutating func encode(_ value: Double) throws {
        box.items.append(.leaf(try TreeEncoder.number(value, path: nextPath)))
    }
    mutating func encode(_ value: Float) throws {
        box.items.append(.leaf(try TreeEncoder.number(Double(value), path: nextPath)))
    }
    mutating func encode(_ value: Int) throws { box.items.append(.leaf(try TreeEncoder.integer(value))) }
    mutating func encode(_ value: Int8) throws { box.items.append(.leaf(try TreeEncoder.integer(value))) }
    mutating func encode(_ value: Int16) throws { box.items.append(.leaf(try TreeEncoder.integer(value))) }
    mutating func encode(_ value: Int32) throws { box.items.append(.leaf(try TreeEncoder.integer(value))) }
    mutating func encode(_ value: Int64) throws { box.items.append(.leaf(try TreeEncoder.integer(value))) }
    mutating func encode(_ value: UInt) throws { box.items.append(.leaf(try TreeEncoder.integer(value))) }
    mutating func encode(_ value: UInt8) throws { box.items.append(.leaf(try TreeEncoder.integer(value))) }
    mutating func encode(_ value: UInt16) throws { box.items.append(.leaf(try TreeEncoder.integer(value))) }
    mutating func encode(_ value: UInt32) throws { box.items.append(.leaf(try TreeEncoder.integer(value))) }
    mutating func encode(_ value: UInt64) throws { box.items.append(.leaf(try TreeEncoder.integer(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        box.items.append(try TreeEncoder.entry(value, path: nextPath, userInfo: userInfo))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        nestedEncoder().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { nestedEncoder().unkeyedContainer() }

    mutating func superEncoder() -> any Encoder { nestedEncoder() }

    func nestedEncoder() -> TreeEncoder {
        let slot = EncodingSlot()
        let path = nextPath
        box.items.append(.slot(slot))
        return TreeEncoder(slot: slot, codingPath: path, userInfo: userInfo)
    }
}
