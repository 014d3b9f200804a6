import Foundation
import TestSupport

@testable import MemoryAPI

/// Reads the examples out of the platform documents in ../shared (seeds and the contract).
///
/// The documents are written for people: answers are partly Python repr (`None`, single quotes),
/// elided with `... (remaining 48 memories)`, annotated with `// comments`, and the TypeScript
/// examples leave object keys unquoted. The extractor undoes exactly those conventions and no more.
enum DocExamples {
    /// The shared documents (`<package root>/../shared` unless `MEMPORT_SHARED` names them).
    static let shared: URL = SharedDocuments.directory(
        packageRoot: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent())

    static func text(_ relative: String) throws -> String {
        try String(contentsOf: shared.appendingPathComponent(relative), encoding: .utf8)
    }

    static var seedNames: [String] {
        let dir = shared.appendingPathComponent("seeds")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted().map { "seeds/" + $0 }
    }

    /// One example: where it stands and its text.
    struct Example: CustomStringConvertible {
        var source: String
        var line: Int
        var text: String
        var description: String { "\(source):\(line)" }
    }

    static func lineNumber(of offset: String.Index, in text: String) -> Int {
        text[..<offset].reduce(1) { $0 + ($1 == "\n" ? 1 : 0) }
    }

    /// The bodies of ```json fences.
    static func jsonFences(_ source: String) throws -> [Example] {
        let text = try text(source)
        var out: [Example] = []
        var search = text.startIndex
        while let open = text.range(of: "```json", range: search..<text.endIndex) {
            guard let bodyStart = text[open.upperBound...].firstIndex(of: "\n"),
                let close = text.range(of: "```", range: text.index(after: bodyStart)..<text.endIndex)
            else { break }
            out.append(
                Example(
                    source: source, line: lineNumber(of: open.lowerBound, in: text),
                    text: String(text[text.index(after: bodyStart)..<close.lowerBound])))
            search = close.upperBound
        }
        return out
    }

    /// Every `filters = {…}`, `filters: {…}` and `"filters": {…}` value, brace-matched.
    static func filterLiterals(_ source: String) throws -> [Example] {
        let text = try text(source)
        let bytes = Array(text.utf8)
        var out: [Example] = []
        let pattern = try NSRegularExpression(pattern: "filters\"?\\s*[=:]\\s*\\{")
        let ns = text as NSString
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let braceUTF16 = match.range.location + match.range.length - 1
            let prefix = ns.substring(to: braceUTF16)
            let start = prefix.utf8.count
            guard let end = matchingClose(bytes, from: start) else { continue }
            out.append(
                Example(
                    source: source, line: prefix.reduce(1) { $0 + ($1 == "\n" ? 1 : 0) },
                    text: String(decoding: bytes[start...end], as: UTF8.self)))
        }
        return out
    }

    /// cURL request bodies: the text between `-d '` and the next `}'` that ends a line.
    static func curlBodies(_ source: String) throws -> [Example] {
        let text = try text(source)
        var out: [Example] = []
        var search = text.startIndex
        while let d = text.range(of: "-d '", range: search..<text.endIndex) {
            let fenceEnd = text.range(of: "```", range: d.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
            guard let end = text.range(of: "}'\n", range: d.upperBound..<fenceEnd) else {
                search = d.upperBound
                continue
            }
            out.append(
                Example(
                    source: source, line: lineNumber(of: d.lowerBound, in: text),
                    text: String(text[d.upperBound..<text.index(after: end.lowerBound)])))
            search = end.upperBound
        }
        return out
    }

    /// The index of the bracket closing the one at `start`, skipping quoted strings.
    static func matchingClose(_ bytes: [UInt8], from start: Int) -> Int? {
        var depth = 0
        var quote: UInt8? = nil
        var i = start
        while i < bytes.count {
            let c = bytes[i]
            if let q = quote {
                if c == UInt8(ascii: "\\") {
                    i += 1
                } else if c == q {
                    quote = nil
                }
            } else if c == UInt8(ascii: "\"") {
                quote = c
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth += 1
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return nil
    }

    /// Undoes the documents' conventions: `//` comment lines, `...` elision lines, unquoted keys.
    static func clean(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
            var l = String(line)
            let trimmed = l.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("//") || trimmed.hasPrefix("...") { return nil }
            if let comment = l.range(of: " // ") { l = String(l[..<comment.lowerBound]) }
            return l
        }
        let joined = lines.joined(separator: "\n")
        let unquoted = try! NSRegularExpression(pattern: "([{,]\\s*)([A-Za-z_][A-Za-z0-9_]*)\\s*:")
        return unquoted.stringByReplacingMatches(
            in: joined, range: NSRange(location: 0, length: (joined as NSString).length), withTemplate: "$1\"$2\":")
    }

    /// Every value in the text, one after another (some examples run several answers together).
    static func values(_ text: String) throws -> [JSONValue] {
        var parser = LiteralParser(bytes: Array(clean(text).utf8))
        var out: [JSONValue] = []
        parser.skipSpace()
        while parser.i < parser.bytes.count {
            out.append(try parser.value())
            parser.skipSpace()
        }
        return out
    }
}
