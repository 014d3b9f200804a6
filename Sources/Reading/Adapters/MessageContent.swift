/// One message's content as an adapter sorts it: the text that becomes the memory, and the
/// parts that never do, counted by skip reason.
///
/// ```swift
/// var content = MessageContent()
/// content.append(text: "Here is my balcony")
/// content.drop(SkipReason.imagePart)
/// content.emit(into: &output)  // image_part 1
/// ```
struct MessageContent {
    /// The first text piece (most messages have only one, kept without an array).
    private var first: String?
    /// The text pieces after the first, in order.
    private var rest: [String] = []
    /// The dropped parts by skip reason.
    private(set) var dropped = [String: Int]()

    /// Adds a piece of text; empty and whitespace-only pieces are ignored.
    mutating func append(text: String) {
        guard Self.hasNonWhitespace(text) else { return }
        if first == nil {
            first = text
        } else {
            rest.append(text)
        }
    }

    /// Whether any character of `text` is not whitespace (`Character.isWhitespace`), decided on
    /// the UTF-8 bytes while they are ASCII: an ASCII byte that is not a space, tab, line feed,
    /// vertical tab, form feed or carriage return starts a character that is not whitespace, and
    /// all-ASCII whitespace is whitespace. The first non-ASCII byte hands over to `Character`.
    static func hasNonWhitespace(_ text: String) -> Bool {
        let ascii: Bool?? = text.utf8.withContiguousStorageIfAvailable { bytes in
            for b in bytes {
                if b >= 0x80 { return nil }
                if b != 0x20, b < 0x09 || b > 0x0D { return true }
            }
            return false
        }
        return (ascii ?? nil) ?? text.contains(where: { !$0.isWhitespace })
    }

    /// Counts a part that is not memory text.
    mutating func drop(_ reason: String, count: Int = 1) {
        guard count > 0 else { return }
        dropped[reason, default: 0] += count
    }

    /// The message text: the pieces joined by newlines.
    var text: String {
        guard let first else { return "" }
        return rest.isEmpty ? first : ([first] + rest).joined(separator: "\n")
    }

    /// `true` when no text is left.
    var isEmpty: Bool { first == nil }

    /// Why the whole message is skipped when it has no text: it held only tool blocks, only
    /// reasoning, only media, or nothing.
    var emptyTurnReason: String {
        if dropped[SkipReason.toolPart] != nil { return SkipReason.toolTurn }
        if dropped[SkipReason.reasoningPart] != nil { return SkipReason.reasoningTurn }
        let media = [SkipReason.imagePart, SkipReason.audioPart, SkipReason.videoPart, SkipReason.filePart]
        if media.contains(where: { dropped[$0] != nil }) { return SkipReason.mediaTurn }
        return SkipReason.emptyTurn
    }

    /// Appends the dropped parts, and the skipped turn when no text is left; returns the text,
    /// or `nil` when the message is skipped.
    func emit(into output: inout [AdapterOutput]) -> String? {
        for (reason, count) in dropped.isEmpty ? [] : dropped.sorted(by: { $0.key < $1.key }) {
            output.append(.skipped(reason: reason, count: count))
        }
        if isEmpty {
            output.append(.skipped(reason: emptyTurnReason, count: 1))
            return nil
        }
        return text
    }

    /// The skip reason of a media part from its type name (`image_asset_pointer`,
    /// `input_audio`, `video_url`, `file`, ...); `nil` when the name is not a media type.
    static func mediaReason(_ type: String) -> String? {
        let t = type.lowercased()
        if t.contains("image") { return SkipReason.imagePart }
        if t.contains("audio") || t.contains("voice") { return SkipReason.audioPart }
        if t.contains("video") { return SkipReason.videoPart }
        if t.contains("file") || t.contains("document") || t.contains("attachment") || t.hasSuffix("_asset_pointer") {
            return SkipReason.filePart
        }
        return nil
    }
}
