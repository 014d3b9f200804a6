import Foundation
import MemoryAPI
import Pipeline
import Reading
import Testing

/// Bad input in every shape Mem0's own tools write (the `mem0` CLI's list, get, search and import
/// files, the official migration's artifact and review file, OpenMemory's `memories.json`):
/// truncated anywhere, empty, or with a wrong type in any field, each is a located reject and
/// nothing else is lost.
@Suite struct ImportReaderMem0FilesTests {
    /// One file of each shape.
    static let shapes = [
        Fixtures.cliFile("list.json"), Fixtures.cliFile("get-3.json"), Fixtures.cliFile("search.json"),
        Fixtures.sample("mem0-cli-import.json"), Fixtures.sample("mem0-migration-export.json"),
        Fixtures.sample("mem0-migration-review.json"), Fixtures.sample("openmemory-memories.json"),
    ]

    @Test(arguments: shapes) func truncatedAnywhereKeepsWhatCameBeforeAndRejectsAtTheCut(_ path: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let options = Fixtures.options(user: nil)
        let full = Fixtures.run([path], options)
        #expect(!full.units.isEmpty && full.failures.isEmpty)
        let name = (path as NSString).lastPathComponent
        for percent in [10, 35, 50, 65, 90, 99] {
            let cut = bytes.count * percent / 100
            let run = Fixtures.run([try Fixtures.write(Array(bytes.prefix(cut)), name: name)], options)
            // Units before the cut are the full run's first units, in order, none altered.
            #expect(run.units.count <= full.units.count)
            // (Their import keys differ: the cut file is another source.)
            let read = run.adds.map(Self.keyless)
            #expect(read == Array(full.adds.prefix(read.count).map(Self.keyless)), "\(name) cut at \(cut)")
            // Every element that ends before the cut still counts.
            let complete = full.units.indices.filter { i in
                i + 1 < full.units.count && full.units[i + 1].locator.offset <= Int64(cut)
                    && full.units[i + 1].locator.element != full.units[i].locator.element
            }
            #expect(run.units.count >= complete.count, "\(name) cut at \(cut): \(run.units.count) units")
            // The cut itself is one located reject, past the last unit read.
            let atCut = run.rejects.filter { !full.rejects.map(\.reason).contains($0.reason) }
            #expect(atCut.count == 1, "\(name) cut at \(cut): \(run.rejects.map(\.description))")
            if let reject = atCut.first {
                #expect(reject.locator.offset > 0 || reject.locator.line != nil)
                #expect(reject.locator.file.hasSuffix(name))
            }
        }
    }

    /// An add without its import key.
    static func keyless(_ request: AddRequest) -> AddRequest {
        var copy = request
        copy.metadata?[MemoryFilter.importKeyField] = nil
        return copy
    }

    @Test(arguments: shapes) func emptyIsOneLocatedReject(_ path: String) throws {
        let name = (path as NSString).lastPathComponent
        for text in ["", "\n  \n"] {
            let run = Fixtures.run([try Fixtures.write(text, name: name)], Fixtures.options(user: nil, preset: .mem0))
            #expect(run.units.isEmpty)
            #expect(run.rejects.map(\.reason) == [.emptyInput], "\(run.rejects)")
            #expect(run.rejects.first?.locator.file.hasSuffix(name) == true)
        }
    }

    /// A well-formed envelope with no memories: nothing to send, at most an `empty_input` note
    /// naming the file, never a failure.
    @Test func emptyEnvelopesHoldNothing() throws {
        let files = [
            #"{"status": "success", "command": "list", "scope": {"user_id": "u"}, "count": 0, "data": []}"#,
            #"{"version": 1, "kind": "mem0_oss_qdrant_export", "source": {}, "record_count": 0, "records": []}"#,
            #"{"version": 1, "kind": "mem0_platform_import_review", "summary": {}, "records": []}"#, "[]",
        ]
        for (i, text) in files.enumerated() {
            let run = Fixtures.run([try Fixtures.write(text, name: "e\(i).json")], Fixtures.options(user: nil))
            #expect(run.units.isEmpty && run.failures.isEmpty && run.rejects.count <= 1, "\(text): \(run.rejects)")
            #expect(run.rejects.allSatisfy { $0.reason == .emptyInput && $0.locator.file.hasSuffix("e\(i).json") })
        }
    }

    /// A wrong type in each field of a CLI memory (list, get, search and import items share it):
    /// a reject naming the field, and the good memory after it imports.
    @Test func wrongTypeInEveryFieldOfACLIMemory() throws {
        let fields: [(String, String)] = [
            ("id", "{}"), ("memory", "5"), ("text", "[]"), ("content", "{}"), ("user_id", "7"), ("agent_id", "[]"),
            ("app_id", "1.5"), ("run_id", "true"), ("metadata", "\"x\""), ("categories", "3"),
            ("created_at", "true"), ("updated_at", "[]"), ("expiration_date", "5"), ("immutable", "\"yes\""),
        ]
        var items = fields.map { field, bad in
            // A good memory with one field replaced (text and content stand in for memory).
            var members: [(String, String)] = [("memory", "\"m-\(field)\""), ("user_id", "\"u\"")]
            if field == "text" || field == "content" { members.removeFirst() }
            members.removeAll { $0.0 == field }
            members.append((field, bad))
            return "{" + members.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
        }
        items.append(#"{"memory": "Still imported", "user_id": "u"}"#)
        let envelope =
            #"{"status": "success", "command": "list", "scope": {"user_id": "u"}, "data": ["#
            + items.joined(separator: ",\n") + "]}"
        for text in [envelope, "[" + items.joined(separator: ",\n") + "]"] {
            let run = Fixtures.run([try Fixtures.write(text, name: "bad.json")], Fixtures.options(user: nil))
            #expect(run.reports.first?.preset == .mem0)
            #expect(run.texts == ["Still imported"], "\(run.texts)")
            #expect(run.rejects.count == fields.count, "\(run.rejects.map(\.description))")
            #expect(run.rejects.allSatisfy { $0.locator.element != nil })
            let paths = run.rejects.map { $0.path ?? "" }
            for (field, _) in fields {
                #expect(
                    paths.contains { $0 == field || $0.hasSuffix("." + field) }, "no reject names \(field): \(paths)")
            }
        }
    }

    @Test func wrongTypesInTheCLIEnvelopeItself() throws {
        let cases: [(String, String)] = [
            (#"{"status": 1, "command": "list", "data": [{"memory": "a"}]}"#, "status"),
            (#"{"status": "success", "command": "list", "scope": [1], "data": [{"memory": "a"}]}"#, "scope"),
            (#"{"status": "success", "command": "get", "data": 5}"#, "data"),
        ]
        for (text, field) in cases {
            let run = Fixtures.run([try Fixtures.write(text, name: "env.json")], Fixtures.options(user: "u"))
            #expect(run.units.isEmpty, "\(text)")
            #expect(run.rejects.count == 1 && run.rejects.first?.locator.file.hasSuffix("env.json") == true)
            #expect(
                run.rejects.first.map { ($0.path ?? "").hasPrefix(field) || $0.message.contains(field) } == true,
                "\(text): \(run.rejects.map(\.description))")
        }
    }
}
