import MemoryAPI

/// Turns a conversation into add units: merges the scope with the defaults, splits long
/// conversations, computes each part's import key and writes it into the metadata.
public struct UnitBuilder: Sendable {
    /// The adapter's name, part of every key.
    public var adapter: String
    /// The source's fingerprint (its identity is part of every key).
    public var source: SourceFingerprint
    /// The options in force.
    public var options: AdapterOptions
    /// The splitter for long conversations.
    public var splitter: ConversationSplitter
    /// The start of every import key of this source.
    private let keyPrefix: ImportKey.Prefix

    /// Creates a builder; `defaultMaxMessages` applies when the options name no limit.
    public init(adapter: String, source: SourceFingerprint, options: AdapterOptions, defaultMaxMessages: Int = 50) {
        self.adapter = adapter
        self.source = source
        self.options = options
        keyPrefix = ImportKey.prefix(adapter: adapter, source: source.identity)
        splitter = ConversationSplitter(
            maxMessages: options.maxMessagesPerAdd ?? defaultMaxMessages, maxBytes: options.maxAddBytes)
    }

    /// The adds for one conversation, or rejects when it has no scope or a message is too large.
    ///
    /// - Parameters:
    ///   - turns: the messages, in order.
    ///   - scope: the record's own scope; when empty, the default scope (the flags) applies.
    ///   - fallback: a scope the export itself names (a Claude account), used when neither the
    ///     record nor the flags give one, with a phrase saying where it came from.
    ///   - metadata: metadata for every add.
    ///   - timestamp: the conversation's time; each part takes its first message's time first.
    ///   - locator: the record's locator with the conversation id set.
    public func adds(
        turns: [ConversationTurn], scope: Scope = Scope(), fallback: (scope: Scope, origin: String)? = nil,
        metadata: [String: JSONValue] = [:], timestamp: Int64? = nil, locator: RecordLocator,
        into output: inout [AdapterOutput]
    ) {
        // The flags give the scope only to records that carry none of their own.
        var merged = scope.isEmpty ? options.defaultScope : scope
        var origin: String?
        if merged.isEmpty, let fallback, !fallback.scope.isEmpty {
            merged = fallback.scope
            origin = fallback.origin
        }
        var turns = turns
        if let selection = options.replaySelection {
            guard selection.admits(conversation: locator.conversationID) else { return }
            if !selection.messageIDs.isEmpty {
                turns = turns.enumerated().filter {
                    selection.messageIDs.contains(Self.id($0.element, index: $0.offset))
                }
                .map(\.element)
                if turns.isEmpty { return }
            }
        }
        // A conversation with nothing to import is skipped, not rejected: nothing needs fixing.
        if turns.isEmpty {
            output.append(.skipped(reason: SkipReason.emptyConversation, count: 1))
            return
        }
        if merged.isEmpty {
            output.append(
                .reject(
                    ImportReject(
                        reason: .missingScope,
                        message: "no user_id, agent_id, app_id or run_id: the record carries none and no "
                            + "--user-id, --agent-id, --app-id or --run-id was given",
                        locator: locator.with(conversation: locator.conversationID, messages: turns.map(Self.id)))))
            return
        }
        // Most conversations are one add: no list of parts is built for them.
        if splitter.fitsInOne(turns) {
            output.append(
                unit(
                    turns, part: nil, scope: merged, origin: origin, metadata: metadata, timestamp: timestamp,
                    locator: locator))
            return
        }
        let (parts, oversized) = splitter.split(turns)
        for i in oversized {
            output.append(
                .reject(
                    ImportReject(
                        reason: .messageTooLarge,
                        message: "the message has \(turns[i].textBytes) bytes of text, more than an add may carry "
                            + "(\(splitter.maxBytes))",
                        locator: locator.with(
                            conversation: locator.conversationID, messages: [Self.id(turns[i], index: i)]))))
        }
        for (p, part) in parts.enumerated() {
            output.append(
                unit(
                    part, part: parts.count > 1 ? p : nil, scope: merged, origin: origin, metadata: metadata,
                    timestamp: timestamp, locator: locator))
        }
    }

    /// The add unit for one part of a conversation (`part` is `nil` when it is not split), with
    /// its import key written into the metadata.
    private func unit(
        _ part: [ConversationTurn], part index: Int?, scope: Scope, origin: String?, metadata: [String: JSONValue],
        timestamp: Int64?, locator: RecordLocator
    ) -> AdapterOutput {
        var ids: [String] = []
        var messages: [Message] = []
        ids.reserveCapacity(part.count)
        messages.reserveCapacity(part.count)
        for i in part.indices {
            ids.append(Self.id(part[i]))
            messages.append(part[i].message)
        }
        let here = locator.with(conversation: locator.conversationID, messages: ids, part: index)
        let stamp = part.first?.timestamp ?? timestamp
        let key = ImportKey.make(prefix: keyPrefix, locator: here, scope: scope, messages: messages, timestamp: stamp)
        var meta = metadata
        meta[MemoryFilter.importKeyField] = .string(key)
        let request = AddRequest(
            messages: messages, scope: scope, metadata: meta, infer: options.infer, timestamp: stamp)
        return .unit(
            ImportUnit(
                payload: .add(request), importKey: key, locator: here, source: source, adapter: adapter,
                scopeOrigin: origin))
    }

    /// A unit for one batch-update item.
    public func update(_ item: BatchUpdateItem, locator: RecordLocator) -> AdapterOutput {
        let key = ImportKey.make(
            prefix: keyPrefix, locator: locator, scope: nil, content: ImportKey.content(of: item))
        return .unit(
            ImportUnit(payload: .batchUpdate(item), importKey: key, locator: locator, source: source, adapter: adapter))
    }

    /// A turn's id, or its position when the source gives none.
    static func id(_ turn: ConversationTurn) -> String { turn.id ?? "?" }

    static func id(_ turn: ConversationTurn, index: Int) -> String { turn.id ?? "#\(index)" }
}
