/// Guesses the container of an input from its name and first bytes.
///
/// `.jsonl` and `.ndjson` are NDJSON and `.csv` is CSV whatever they hold. Otherwise a leading
/// `[` is a JSON array; a leading `{` is NDJSON when the first object ends on the first line and
/// more follows, else JSON; anything else is CSV when the first line has a comma, else JSON
/// (whose reader then names the stray scalar).
public enum FormatSniffer {
    /// The format for a source, given its first uncompressed bytes.
    public static func detect(name: String, extension ext: String, head: [UInt8]) -> InputFormat {
        switch ext {
        case "jsonl", "ndjson": return .ndjson
        case "csv": return .csv
        default: break
        }
        var i = 0
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { i = 3 }
        while i < head.count, NDJSONReader.isSpace(head[i]) { i += 1 }
        guard i < head.count else { return ext == "json" ? .json : .ndjson }
        switch head[i] {
        case 0x5B: return .json
        case 0x7B: return firstObjectIsALine(head, from: i) ? .ndjson : .json
        default:
            if ext == "json" { return .json }
            let lineEnd = head[i...].firstIndex(of: 0x0A) ?? head.count
            return head[i..<lineEnd].contains(0x2C) ? .csv : .json
        }
    }

    /// `true` when the object starting at `start` closes before the first newline and another
    /// value starts on a later line.
    static func firstObjectIsALine(_ bytes: [UInt8], from start: Int) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if escaped {
                    escaped = false
                } else if b == 0x5C {
                    escaped = true
                } else if b == 0x22 {
                    inString = false
                }
            } else {
                switch b {
                case 0x0A: return false
                case 0x22: inString = true
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D:
                    depth -= 1
                    if depth == 0 {
                        var j = i + 1
                        while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D { j += 1 }
                        guard j < bytes.count, bytes[j] == 0x0A else { return false }
                        while j < bytes.count, NDJSONReader.isSpace(bytes[j]) { j += 1 }
                        return j < bytes.count
                    }
                default: break
                }
            }
            i += 1
        }
        // The first line does not end within the head: a long single-line record, read as NDJSON.
        return true
    }
}
