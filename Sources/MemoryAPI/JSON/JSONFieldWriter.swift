/// Writes the fields of one JSON object in the order given, leaving out absent ones.
///
/// It takes the caller's text over while it writes (``init(taking:)``, ``finish(into:)``), so
/// nested objects append to one buffer without copying it.
struct JSONFieldWriter {
    var out = ""
    private var first = true

    /// Opens an object at the end of `out`, which is empty until ``finish(into:)``.
    init(taking out: inout String) {
        swap(&self.out, &out)
        self.out += "{"
    }

    /// Starts a field: the separator, the quoted key and the colon.
    mutating func key(_ key: StaticString) {
        out += first ? "\"" : ",\""
        first = false
        out += key.description
        out += "\":"
    }

    mutating func string(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        JSONValue.writeString(value, into: &out)
    }

    mutating func bool(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        self.key(key)
        out += value ? "true" : "false"
    }

    mutating func value(_ key: StaticString, _ value: JSONValue?) {
        guard let value else { return }
        self.key(key)
        value.write(into: &out)
    }

    /// Closes the object and hands the text back to `out`.
    mutating func finish(into out: inout String) {
        self.out += "}"
        swap(&self.out, &out)
    }
}
