import Foundation
import Logging

/// A swift-log handler that keeps every line, with its metadata, for inspection.
struct CapturingLogHandler: LogHandler {
    /// The lines so far, shared by every copy of the handler.
    ///
    /// `@unchecked Sendable` because every access holds `lock`.
    final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []

        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    let store: Store
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        for (k, v) in event.metadata ?? [:] { all[k] = v }
        let meta = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        store.append("\(event.level) \(label) \(event.message) \(meta) \(event.source) \(event.file)")
    }

    /// A logger at trace level writing into `store`.
    static func logger(_ store: Store) -> Logger {
        var logger = Logger(label: "memport.client.test") { label in CapturingLogHandler(store: store, label: label) }
        logger.logLevel = .trace
        return logger
    }
}
