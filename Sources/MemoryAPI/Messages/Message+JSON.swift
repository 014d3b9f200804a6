extension Message {
    /// Appends the message as `JSONEncoder` with `.sortedKeys` writes it.
    func writeJSON(into out: inout String) {
        out += "{\"content\":"
        switch content {
        case .text(let text): JSONValue.writeString(text, into: &out)
        case .parts(let parts): JSONValue.array(parts.map { .object($0.json) }).write(into: &out)
        }
        if let name {
            out += ",\"name\":"
            JSONValue.writeString(name, into: &out)
        }
        out += ",\"role\":"
        JSONValue.writeString(role.rawValue, into: &out)
        out += "}"
    }
}

extension Message {
    /// A message object whose role, content and name are strings (a missing or null content is
    /// empty text, a missing role is the user's), as ``init(from:)`` reads it; nil for any other shape.
    init?(tree: JSONValue) {
        guard case .object(let o) = tree, let role = JSONValue.optionalString(o["role"]),
            let name = JSONValue.optionalString(o["name"])
        else { return nil }
        let text: String
        switch o["content"] {
        case .none, .some(.null): text = ""
        case .some(.string(let s)): text = s
        default: return nil
        }
        self.init(role: role.map(MessageRole.init(rawValue:)) ?? .user, content: .text(text), name: name)
    }
}
