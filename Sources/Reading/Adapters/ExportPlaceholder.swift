import Foundation

/// The placeholder lines chat exports write where they could not render a block (a tool call,
/// an artifact, an analysis-tool result): "This block is not supported on your current device
/// yet.", alone or in a code fence. They are not anything anyone said, so they never become
/// memory text.
///
/// ```swift
/// let (text, removed) = ExportPlaceholder.strip("Sure.\n\n```\nThis block is not supported on your current device yet.\n```\n")
/// // ("Sure.", 1)
/// ```
enum ExportPlaceholder {
    /// The placeholder sentences, lowercased, with straight apostrophes and no final period.
    static let sentences: [String] = [
        "this block is not supported on your current device yet",
        "this content is not supported on your current device yet",
        "this message is not supported on your current device yet",
        "viewing artifacts created via the analysis tool web feature preview isn't yet supported on mobile",
    ]

    /// The text without placeholder lines (and the code fences left empty around them), trimmed
    /// of the blank lines they leave; and how many placeholders were removed.
    static func strip(_ text: String) -> (text: String, removed: Int) {
        guard text.contains("supported") else { return (text, 0) }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var removed = 0
        var i = 0
        while i < lines.count {
            if isPlaceholder(lines[i]) {
                lines.remove(at: i)
                removed += 1
                // A fence opened just before and closed just after the placeholder goes too.
                if i > 0, i < lines.count, isFence(lines[i - 1]), isFence(lines[i]) {
                    lines.remove(at: i)
                    lines.remove(at: i - 1)
                    i -= 1
                }
                continue
            }
            i += 1
        }
        guard removed > 0 else { return (text, 0) }
        var out = lines.joined(separator: "\n")
        while out.contains("\n\n\n") { out = out.replacingOccurrences(of: "\n\n\n", with: "\n\n") }
        return (out.trimmingCharacters(in: .whitespacesAndNewlines), removed)
    }

    /// `true` when the line, without surrounding blanks, backticks and a final period, is a
    /// placeholder sentence.
    static func isPlaceholder(_ line: String) -> Bool {
        var core = line.trimmingCharacters(in: .whitespaces)
        guard core.count >= 40, core.count <= 160 else { return false }
        core = core.trimmingCharacters(in: CharacterSet(charactersIn: "`*_ "))
        if core.hasSuffix(".") { core.removeLast() }
        core = core.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
        return sentences.contains(core)
    }

    private static func isFence(_ line: String) -> Bool {
        let core = line.trimmingCharacters(in: .whitespaces)
        return core.hasPrefix("```") && core.dropFirst(3).allSatisfy { $0.isLetter || $0.isNumber }
    }
}
