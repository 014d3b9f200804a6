import Foundation

/// ChatGPT's inline reference markers: answers written with search or files carry spans like
/// `\u{E200}cite\u{E202}turn0search3\u{E201}` that the app renders as links, described in the
/// message's `metadata.content_references`. They are not text anyone wrote, so they are taken out
/// of the memory text: a reference whose `alt` is plain text (an entity's name) is replaced by it,
/// a citation (its `alt` a Markdown link) or any other marker is removed.
enum ChatGPTCitations {
    static let spanStart: Character = "\u{E200}"
    static let spanEnd: Character = "\u{E201}"
    static let spanSeparator: Character = "\u{E202}"
    /// The marks around highlighted spans; the text between them stays.
    static let marks: Set<Character> = ["\u{E203}", "\u{E204}"]

    /// The text without reference markers.
    static func clean(_ text: String, references: JSONNode?) -> String {
        guard text.unicodeScalars.contains(where: { (0xE200...0xE204).contains($0.value) }) else { return text }
        var out = text
        if let references, references.kind == .array {
            // Longest first, so a span that contains another is replaced whole.
            var replacements: [(String, String)] = []
            for reference in references.elements where reference.kind == .object {
                guard let matched = reference["matched_text"]?.string,
                    matched.unicodeScalars.contains(where: { (0xE200...0xE204).contains($0.value) })
                else { continue }
                let alt = reference["alt"]?.string ?? ""
                replacements.append((matched, alt.contains("](") ? "" : alt))
            }
            for (matched, replacement) in replacements.sorted(by: { $0.0.count > $1.0.count }) {
                // An empty span stands for a removed reference, so spacing is mended in one place.
                out = out.replacingOccurrences(
                    of: matched, with: replacement.isEmpty ? String([spanStart, spanEnd]) : replacement)
            }
        }
        return removeMarkers(out)
    }

    /// Removes the spans no reference described: an entity span keeps its display name, any other
    /// span goes, with the space before it when a space or punctuation follows; highlight marks go
    /// and their text stays.
    static func removeMarkers(_ text: String) -> String {
        var out = ""
        var span: String?
        var removed = false
        for ch in text {
            if ch == spanStart {
                span = ""
            } else if ch == spanEnd, let body = span {
                span = nil
                if let name = entityName(body) {
                    out += name
                } else {
                    removed = true
                }
            } else if span != nil {
                span?.append(ch)
            } else if !marks.contains(ch) {
                if removed, out.last == " ", ch == " " || ".,;:!?)".contains(ch) { out.removeLast() }
                removed = false
                out.append(ch)
            }
        }
        if let span { out += span }
        if removed { while out.last == " " { out.removeLast() } }
        return out
    }

    /// `entity\u{E202}["city","Oslo",...]` → `Oslo`.
    static func entityName(_ body: String) -> String? {
        let pieces = body.split(separator: spanSeparator, maxSplits: 1)
        guard pieces.count == 2, pieces[0] == "entity",
            let value = try? JSONSerialization.jsonObject(with: Data(pieces[1].utf8)) as? [Any],
            value.count > 1, let name = value[1] as? String
        else { return nil }
        return name
    }
}
