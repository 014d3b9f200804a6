import Foundation
import MemoryAPI
import Pipeline
import Reading
import Testing

/// The bad inputs of issue 5, end to end through the reader: each is a reject or an error that
/// names the file, the line or element, the byte offset and the reason, and every other record
/// still maps.
@Suite struct ImportReaderTests {
    static let good1 = #"{"messages":[{"role":"user","content":"first"}]}"#
    static let good2 = #"{"messages":[{"role":"user","content":"second"}]}"#

    @Test func invalidJSONInTheMiddleOfAnNDJSONFile() throws {
        let bad = #"{"messages":[{"role":"user","content": }]}"#
        let text = [Self.good1, bad, Self.good2].joined(separator: "\n") + "\n"
        let path = try Fixtures.write(text, name: "mid.jsonl")
        let run = Fixtures.run([path], Fixtures.options())
        #expect(run.texts == ["first", "second"])
        #expect(run.rejects.count == 1)
        let reject = try #require(run.rejects.first)
        #expect(reject.reason == .invalidJSON)
        #expect(reject.locator.file == path)
        #expect(reject.locator.line == 2)
        #expect(reject.locator.offset == Int64(Self.good1.utf8.count + 1))
        #expect(reject.raw?.contains(#""content": }"#) == true)
        #expect(run.records == 3)
    }

    @Test func invalidJSONInTheMiddleOfAJSONArray() throws {
        let bad = #"{"messages":[{"role":"user","content":x}]}"#
        let text = "[" + [Self.good1, bad, Self.good2].joined(separator: ",") + "]"
        let path = try Fixtures.write(text, name: "mid.json")
        let run = Fixtures.run([path], Fixtures.options())
        #expect(run.texts == ["first", "second"])
        let reject = try #require(run.rejects.first)
        #expect(reject.reason == .invalidJSON)
        #expect(reject.locator.element == 1)
        #expect(reject.locator.line == 1)
        #expect(reject.locator.offset == Int64(1 + Self.good1.utf8.count + 1))
        #expect(reject.description.contains("element 1"))
    }

    @Test func truncatedGzipKeepsTheCompleteRecordsBeforeIt() throws {
        let lines = (0..<2000).map {
            #"{"messages":[{"role":"user","content":"message \#($0) "# + String(repeating: "x", count: $0 % 97)
                + #""}]}"#
        }
        let gz = try Fixtures.gzip(Array((lines.joined(separator: "\n") + "\n").utf8))
        let cut = Array(gz.prefix(gz.count / 2))
        let path = try Fixtures.write(cut, name: "cut.jsonl.gz")
        let run = Fixtures.run([path], Fixtures.options())
        #expect(run.units.count > 100)
        #expect(run.units.count < 2000)
        #expect(run.texts.first == "message 0 ")
        let reject = try #require(run.rejects.last)
        #expect(reject.reason == .truncatedGzip)
        #expect(reject.locator.file == path)
        #expect(reject.locator.compressedOffset == Int64(cut.count))
        #expect(reject.locator.offset > 0)
        #expect(reject.message.contains("compressed byte \(cut.count)"))
        #expect(run.reports.first?.gzip == true)
    }

    @Test func invalidUTF8IsARejectNamingItsByte() throws {
        var bytes = Array((Self.good1 + "\n").utf8)
        let badStart = bytes.count
        let prefix = #"{"messages":[{"role":"user","content":"caf"#
        bytes +=
            Array(prefix.utf8) + [0xC3, 0x28]
            + Array(#""}]}"#.utf8) + [0x0A]
        bytes += Array((Self.good2 + "\n").utf8)
        let path = try Fixtures.write(bytes, name: "utf8.jsonl")
        let run = Fixtures.run([path], Fixtures.options())
        #expect(run.texts == ["first", "second"])
        let reject = try #require(run.rejects.first)
        #expect(reject.reason == .invalidUTF8)
        #expect(reject.locator.line == 2)
        #expect(reject.locator.offset == Int64(badStart + prefix.utf8.count))
        #expect(reject.message.contains("UTF-8"))
    }

    @Test func fiftyMegabyteRecordIsARejectNotAnOutOfMemory() throws {
        let dir = try Fixtures.tempDir()
        let url = dir.appendingPathComponent("big.jsonl")
        var data = Data((Self.good1 + "\n").utf8)
        let bigStart = data.count
        data.append(contentsOf: Array(#"{"messages":[{"role":"user","content":""#.utf8))
        data.append(Data(repeating: 0x61, count: 50 << 20))
        data.append(contentsOf: Array(#""}]}"#.utf8) + [0x0A])
        data.append(contentsOf: Array((Self.good2 + "\n").utf8))
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: dir) }

        // Under a 16 MiB record limit the line is skipped without being buffered.
        let limited = Fixtures.run([url.path], Fixtures.options { $0.maxRecordBytes = 16 << 20 })
        #expect(limited.texts == ["first", "second"])
        let tooLarge = try #require(limited.rejects.first)
        #expect(tooLarge.reason == .recordTooLarge)
        #expect(tooLarge.locator.line == 2)
        #expect(tooLarge.locator.offset == Int64(bigStart))
        #expect(tooLarge.locator.file == url.path)

        // Under the default 64 MiB limit it is read, and its message is too large for any add.
        let read = Fixtures.run([url.path], Fixtures.options())
        #expect(read.texts == ["first", "second"])
        let oversized = try #require(read.rejects.first)
        #expect(oversized.reason == .messageTooLarge)
        #expect(oversized.locator.line == 2)
        #expect(oversized.locator.offset == Int64(bigStart))
    }

    @Test func unterminatedCSVQuoteNamesWhereItOpened() throws {
        let csv = "role,content\nuser,hello\nuser,\"never closed\nuser,more\n"
        let path = try Fixtures.write(csv, name: "open.csv")
        let run = Fixtures.run([path], Fixtures.options())
        #expect(run.texts == ["hello"])
        let reject = try #require(run.rejects.last)
        #expect(reject.reason == .unterminatedQuote)
        #expect(reject.locator.file == path)
        #expect(reject.locator.line == 3)
        #expect(reject.locator.offset == Int64("role,content\nuser,hello\nuser,".utf8.count))
    }

    @Test func emptyFileIsAnErrorNamingTheFile() throws {
        let empty = try Fixtures.write("", name: "empty.json")
        let blank = try Fixtures.write("  \n\n", name: "blank.json")
        let good = try Fixtures.write(Self.good1 + "\n", name: "good.jsonl")
        let run = Fixtures.run([empty, good, blank], Fixtures.options())
        #expect(run.texts == ["first"])
        #expect(run.rejects.count == 2)
        #expect(run.rejects.map(\.reason) == [.emptyInput, .emptyInput])
        #expect(run.rejects.map(\.locator.file) == [empty, blank])
        #expect(run.rejects.allSatisfy { $0.locator.offset >= 0 && $0.locator.line != nil })
    }

    @Test func jsonScalarAtTheTopIsAnError() throws {
        let path = try Fixtures.write("\n  \"just a string\"\n", name: "scalar.json")
        let good = try Fixtures.write("[" + Self.good1 + "]", name: "good.json")
        let run = Fixtures.run([path, good], Fixtures.options())
        #expect(run.texts == ["first"])
        let reject = try #require(run.rejects.first)
        #expect(reject.reason == .topLevelScalar)
        #expect(reject.locator.file == path)
        #expect(reject.locator.line == 2)
        #expect(reject.locator.offset == 3)
    }

    @Test func recordWithNoScopeAtAllIsARejectWhileScopedRecordsMap() throws {
        let scoped = #"{"user_id":"zoe","messages":[{"role":"user","content":"scoped"}]}"#
        let path = try Fixtures.write([Self.good1, scoped].joined(separator: "\n"), name: "scope.jsonl")
        let run = Fixtures.run([path], Fixtures.options(user: nil))
        #expect(run.texts == ["scoped"])
        #expect(run.adds.first?.scope == Scope(userID: "zoe"))
        let reject = try #require(run.rejects.first)
        #expect(reject.reason == .missingScope)
        #expect(reject.locator.line == 1)
        #expect(reject.locator.offset == 0)
        #expect(reject.message.contains("--user-id"))
    }

    @Test func wrongValueTypesNameTheJSONPath() throws {
        let wrong = #"{"messages":[{"role":"user","content":"ok"},{"role":7,"content":"x"}]}"#
        let notList = #"{"messages":"hello"}"#
        let text = [Self.good1, wrong, notList, Self.good2].joined(separator: "\n")
        let path = try Fixtures.write(text, name: "types.jsonl")
        let run = Fixtures.run([path], Fixtures.options())
        #expect(run.texts == ["first", "second"])
        #expect(run.rejects.map(\.reason) == [.wrongType, .wrongType])
        #expect(run.rejects.map(\.path) == ["messages[1].role", "messages"])
        #expect(run.rejects.map(\.locator.line) == [2, 3])
        #expect(run.rejects[1].locator.offset == Int64(Self.good1.utf8.count + wrong.utf8.count + 2))
    }

    @Test func keysAndOrderAreTheSameOnEveryRun() throws {
        let paths = [
            Fixtures.sample("chatgpt.json"), Fixtures.sample("openai.jsonl.gz"), Fixtures.sample("locomo.json"),
        ]
        let first = Fixtures.run(paths, Fixtures.options())
        let second = Fixtures.run(paths, Fixtures.options())
        #expect(first.units.map(\.importKey) == second.units.map(\.importKey))
        #expect(Set(first.units.map(\.importKey)).count == first.units.count)
        for unit in first.units {
            guard case .add(let request) = unit.payload else { continue }
            #expect(request.metadata?["memport_import_key"] == .string(unit.importKey))
            #expect(request.infer == false)
        }
        let other = Fixtures.run(paths, Fixtures.options(user: "someone-else"))
        #expect(other.units.first?.importKey != first.units.first?.importKey)
    }

    @Test func plainAndGzippedSamplesMapTheSame() throws {
        for name in [
            "openai.jsonl", "sharegpt.json", "chatgpt.json", "claude.json", "locomo.json", "mem0-dump.json",
            "mem0-page.json", "generic.csv",
        ] {
            let plain = Fixtures.run([Fixtures.sample(name)], Fixtures.options())
            let zipped = Fixtures.run([Fixtures.sample(name + ".gz")], Fixtures.options())
            #expect(!plain.units.isEmpty, "\(name)")
            #expect(plain.adds.map(\.messages) == zipped.adds.map(\.messages), "\(name)")
            #expect(zipped.reports.first?.gzip == true)
        }
    }

    @Test func detectsFormatAndPresetOfEverySample() throws {
        let expected: [(String, InputFormat, ImportPreset)] = [
            ("openai.jsonl", .ndjson, .openai), ("sharegpt.json", .json, .sharegpt), ("chatgpt.json", .json, .chatgpt),
            ("claude.json", .json, .claude), ("locomo.json", .json, .locomo), ("mem0-dump.json", .json, .mem0),
            ("mem0-page.json", .json, .mem0), ("generic.csv", .csv, .generic),
        ]
        for (name, format, preset) in expected {
            let run = Fixtures.run([Fixtures.sample(name)], Fixtures.options())
            #expect(run.reports.first?.format == format, "\(name)")
            #expect(run.reports.first?.preset == preset, "\(name)")
        }
    }

    @Test func readsStandardInputFromAFileDescriptor() throws {
        // stdin is file descriptor 0; a file opened by name goes through the same code.
        #expect(InputSource("-").isStandardInput)
        #expect(InputSource("-").identity == "stdin")
    }

    @Test func longConversationsAreSplitIntoBoundedAdds() throws {
        let turns = (0..<7).map { #"{"role":"user","content":"m\#($0)"}"# }.joined(separator: ",")
        let path = try Fixtures.write(#"{"id":"long","messages":[\#(turns)]}"#, name: "long.jsonl")
        let run = Fixtures.run([path], Fixtures.options { $0.adapter.maxMessagesPerAdd = 3 })
        #expect(run.adds.map(\.messages.count) == [3, 3, 1])
        #expect(run.units.map(\.locator.part) == [0, 1, 2])
        #expect(run.texts == (0..<7).map { "m\($0)" })
    }
}
