/// One chat message of an add call: a role and its content.
///
/// ```swift
/// Message(role: .user, content: "I'm vegetarian")
/// ```
public struct Message: Sendable, Hashable, Codable {
    /// Who spoke.
    public var role: MessageRole
    /// What was said: text, or a list of parts.
    public var content: MessageContent
    /// An optional speaker name (OpenAI's `name`).
    public var name: String?

    /// Creates a message.
    public init(role: MessageRole, content: MessageContent, name: String? = nil) {
        self.role = role
        self.content = content
        self.name = name
    }

    /// Creates a text message.
    public init(role: MessageRole, text: String, name: String? = nil) {
        self.init(role: role, content: .text(text), name: name)
    }

    enum CodingKeys: String, CodingKey { case role, content, name }

    /// Decodes `{role, content, name?}`; a missing role reads as `user`, null content as "".
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        role = try c.decodeIfPresent(MessageRole.self, forKey: .role) ?? .user
        content = try c.decodeIfPresent(MessageContent.self, forKey: .content) ?? .text("")
        name = try c.decodeIfPresent(String.self, forKey: .name)
    }

    /// Encodes `{role, content, name?}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(role, forKey: .role)
        try c.encode(content, forKey: .content)
        try c.encodeIfPresent(name, forKey: .name)
    }
}

/// A message role; open, so that roles memport does not know survive a round trip.
public struct MessageRole: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The role's spelling on the wire.
    public var rawValue: String
    /// Creates a role from its spelling.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Creates a role from a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The spelling.
    public var description: String { rawValue }

    /// `user`.
    public static let user: MessageRole = "user"
    /// `assistant`.
    public static let assistant: MessageRole = "assistant"
    /// `system`.
    public static let system: MessageRole = "system"
    /// `tool`.
    public static let tool: MessageRole = "tool"

    /// Decodes a string role.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the spelling.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Message content: a string, or a list of parts (text, image URL and so on).
public enum MessageContent: Sendable, Hashable, Codable, ExpressibleByStringLiteral {
    /// Plain text.
    case text(String)
    /// Content parts, each a JSON object with a `type`.
    case parts([ContentPart])

    /// Text content from a literal.
    public init(stringLiteral value: String) { self = .text(value) }

    /// The text: the string, or the text parts joined by newlines; `nil` when no part is text.
    public var text: String? {
        switch self {
        case .text(let s): return s
        case .parts(let parts):
            let texts = parts.compactMap(\.text)
            return texts.isEmpty ? nil : texts.joined(separator: "\n")
        }
    }

    /// The parts that carry no text (images, files), which memport cannot store as text.
    public var nonTextParts: [ContentPart] {
        if case .parts(let parts) = self { return parts.filter { $0.text == nil } }
        return []
    }

    /// Decodes a string, a list of parts, or a single part object.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            self = .text(s)
        } else if let parts = try? c.decode([ContentPart].self) {
            self = .parts(parts)
        } else if let part = try? c.decode(ContentPart.self) {
            self = .parts([part])
        } else {
            throw DecodingError.typeMismatch(
                MessageContent.self,
                .init(codingPath: decoder.codingPath, debugDescription: "content must be a string or a list of parts"))
        }
    }

    /// Encodes a string or a list of parts.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .text(let s): try c.encode(s)
        case .parts(let p): try c.encode(p)
        }
    }
}

/// One content part: `{"type": "text", "text": "..."}`, `{"type": "image_url", ...}`, etc.
public struct ContentPart: Sendable, Hashable, Codable {
    /// The whole part as sent.
    public var json: [String: JSONValue]

    /// Creates a part from its JSON object.
    public init(json: [String: JSONValue]) { self.json = json }

    /// A text part.
    public static func text(_ text: String) -> ContentPart {
        ContentPart(json: ["type": "text", "text": .string(text)])
    }

    /// The part's `type`.
    public var type: String? { json["type"]?.stringValue }

    /// The part's text, for `text`, `input_text` and `output_text` parts.
    public var text: String? {
        guard let t = type ?? (json["text"] != nil ? "text" : nil),
            t == "text" || t == "input_text" || t == "output_text"
        else { return nil }
        return json["text"]?.stringValue
    }

    /// Decodes a JSON object.
    public init(from decoder: any Decoder) throws {
        json = try decoder.singleValueContainer().decode([String: JSONValue].self)
    }

    /// Encodes the object as it is.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(json)
    }
}
