import Foundation
import MemoryAPI
import Pipeline
import Reading
import TestSupport

/// Paths to the project's samples and the shared third-party fixtures, temp files, and a
/// helper that runs the import reader to the end.
enum Fixtures {
    /// The package root (the directory of Package.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A file under `samples/`.
    static func sample(_ name: String) -> String { packageRoot.appendingPathComponent("samples/\(name)").path }

    /// A chat-export case file under `Tests/Fixtures/chats/`, written from the formats' public
    /// descriptions (voice, images, thinking, tool turns, empty conversations).
    static func chatCase(_ name: String) -> String {
        packageRoot.appendingPathComponent("Tests/Fixtures/chats/\(name)").path
    }

    /// A file the official `mem0` CLI printed, under `Tests/Fixtures/mem0-cli/` (made by
    /// `scripts/mem0-cli-fixtures` with mem0-cli 0.2.13 against `memport serve`).
    static func cliFile(_ name: String) -> String {
        packageRoot.appendingPathComponent("Tests/Fixtures/mem0-cli/\(name)").path
    }

    /// A file under the shared documents' `fixtures/`.
    static func shared(_ name: String) -> String {
        SharedDocuments.directory(packageRoot: packageRoot).appendingPathComponent("fixtures/\(name)").path
    }

    /// A fresh temporary directory.
    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("memport-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes bytes to a file in a fresh temp dir and returns its path.
    static func write(_ bytes: [UInt8], name: String) throws -> String {
        let url = try tempDir().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Writes text to a file in a fresh temp dir and returns its path.
    static func write(_ text: String, name: String) throws -> String {
        try write(Array(text.utf8), name: name)
    }

    /// Gzips bytes with the system `gzip` (a real gzip stream).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let dir = try tempDir()
        let input = dir.appendingPathComponent("in")
        try Data(bytes).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-n", "-f", input.path]
        try process.run()
        process.waitUntilExit()
        return Array(try Data(contentsOf: dir.appendingPathComponent("in.gz")))
    }

    /// Reads sources to the end.
    static func run(_ paths: [String], _ options: ImportOptions = ImportOptions()) -> ImportRun {
        let reader = ImportReader(sources: paths.map(InputSource.init), options: options)
        var run = ImportRun()
        while let event = reader.next() {
            switch event {
            case .detected(let report): run.reports.append(report)
            case .unit(let unit): run.units.append(unit)
            case .reject(let reject): run.rejects.append(reject)
            case .skipped(let reason, let count): run.skipped[reason, default: 0] += count
            case .sourceFailed(let error): run.failures.append(error)
            }
        }
        run.records = reader.recordCount
        return run
    }

    /// Options with a default user.
    static func options(
        user: String? = "tester", preset: ImportPreset? = nil, format: InputFormat? = nil,
        configure: (inout ImportOptions) -> Void = { _ in }
    ) -> ImportOptions {
        var options = ImportOptions(format: format, preset: preset)
        options.adapter.defaultScope = Scope(userID: user)
        configure(&options)
        return options
    }
}

/// Everything one import run yielded.
struct ImportRun {
    var reports: [SourceReport] = []
    var units: [ImportUnit] = []
    var rejects: [ImportReject] = []
    var skipped: [String: Int] = [:]
    var failures: [PipelineError] = []
    var records = 0

    /// The adds, in order.
    var adds: [AddRequest] {
        units.compactMap { unit in
            if case .add(let request) = unit.payload { return request }
            return nil
        }
    }

    /// The texts of every message, in order.
    var texts: [String] { adds.flatMap { $0.messages.compactMap(\.content.text) } }
}
