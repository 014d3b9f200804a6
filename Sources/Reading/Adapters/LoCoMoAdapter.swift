import Foundation
import MemoryAPI

/// LoCoMo samples, imported the way Mem0's own evaluation imports them.
///
/// Each sample `{sample_id, conversation: {speaker_a, speaker_b, session_N_date_time,
/// session_N: [{speaker, dia_id, text}]}}` is imported twice, once per speaker: as the user
/// `{speaker}_{sample index}`, with that speaker's turns as `user` and the other's as
/// `assistant`, every text prefixed with its speaker's name (`Caroline: ...`). Sessions go in
/// order, two messages per add by default (Mem0's batch size), with the session date parsed into
/// `timestamp` and kept as text in `metadata.timestamp`. Shared photos (`img_url`) are counted as
/// skipped image parts.
public struct LoCoMoAdapter: RecordAdapter {
    struct Sample: Decodable {
        var sampleID: FlexibleID?
        var conversation: [String: JSONValue]

        enum CodingKeys: String, CodingKey {
            case conversation
            case sampleID = "sample_id"
        }
    }

    struct Turn: Decodable {
        var speaker: String
        var diaID: String?
        var text: String
        var imageURL: JSONValue?

        enum CodingKeys: String, CodingKey {
            case speaker, text
            case diaID = "dia_id"
            case imageURL = "img_url"
        }

        /// The images the turn shared (`img_url`, a URL or a list of them).
        var images: Int {
            switch imageURL {
            case .string: return 1
            case .array(let list): return list.count
            default: return 0
            }
        }
    }

    private let builder: UnitBuilder
    private let decoding = RecordDecoding()

    /// Creates the adapter.
    public init(builder: UnitBuilder) { self.builder = builder }

    /// Maps one sample into adds for both speakers.
    public mutating func map(_ record: SourceRecord, into output: inout [AdapterOutput]) {
        guard case .json(let data) = record.body else { return }
        let sample: Sample
        do {
            sample = try decoding.decode(Sample.self, from: data, at: record.locator)
        } catch {
            output.append(.reject(ImportReject(error, at: record.locator, raw: record.rawBytes)))
            return
        }
        let index = record.locator.element ?? max(0, (record.locator.line ?? 1) - 1)
        let conversation = sample.conversation
        guard let speakerA = conversation["speaker_a"]?.stringValue,
            let speakerB = conversation["speaker_b"]?.stringValue
        else {
            output.append(
                .reject(
                    ImportReject(
                        reason: .wrongType, message: "speaker_a and speaker_b must be strings",
                        locator: record.locator, path: "conversation.speaker_a")))
            return
        }
        let sampleName = sample.sampleID?.text ?? "sample-\(index)"
        let sessions = conversation.keys.compactMap { key -> Int? in
            guard key.hasPrefix("session_"), let n = Int(key.dropFirst("session_".count)) else { return nil }
            return n
        }.sorted()
        for n in sessions {
            let key = "session_\(n)"
            guard let value = conversation[key] else { continue }
            let turns: [Turn]
            do {
                turns = try value.decode([Turn].self)
            } catch {
                output.append(
                    .reject(
                        ImportReject(
                            reason: .wrongType, message: "a session must be a list of {speaker, dia_id, text}",
                            locator: record.locator.with(conversation: "\(sampleName)/\(key)"),
                            path: "conversation.\(key)")))
                continue
            }
            let dateText = conversation["\(key)_date_time"]?.stringValue
            let timestamp = dateText.flatMap(LoCoMoDate.parse)
            // The date is part of every memory of the session: the session waits until it is fixed.
            if let dateText, timestamp == nil {
                output.append(
                    .reject(
                        ImportReject(
                            reason: .invalidTimestamp, message: "cannot parse the session date '\(dateText)'",
                            locator: record.locator.with(conversation: "\(sampleName)/\(key)"),
                            path: "conversation.\(key)_date_time")))
                continue
            }
            var metadata: [String: JSONValue] = [
                "locomo_sample": .string(sampleName), "locomo_session": .int(Int64(n)),
            ]
            if let dateText { metadata["timestamp"] = .string(dateText) }
            var forA: [ConversationTurn] = []
            var forB: [ConversationTurn] = []
            for (i, turn) in turns.enumerated() {
                let id = turn.diaID ?? "\(key)#\(i)"
                // A shared photo is counted, never imported (Mem0's evaluation keeps the text only).
                if turn.images > 0 { output.append(.skipped(reason: SkipReason.imagePart, count: turn.images)) }
                guard turn.text.contains(where: { !$0.isWhitespace }) else {
                    let reason = turn.images > 0 ? SkipReason.mediaTurn : SkipReason.emptyTurn
                    output.append(.skipped(reason: reason, count: 1))
                    continue
                }
                let text = "\(turn.speaker): \(turn.text)"
                if turn.speaker == speakerA {
                    forA.append(
                        ConversationTurn(message: Message(role: .user, text: text), id: id, timestamp: timestamp))
                    forB.append(
                        ConversationTurn(message: Message(role: .assistant, text: text), id: id, timestamp: timestamp))
                } else if turn.speaker == speakerB {
                    forA.append(
                        ConversationTurn(message: Message(role: .assistant, text: text), id: id, timestamp: timestamp))
                    forB.append(
                        ConversationTurn(message: Message(role: .user, text: text), id: id, timestamp: timestamp))
                } else {
                    output.append(
                        .reject(
                            ImportReject(
                                reason: .unknownRole, message: "unknown speaker '\(turn.speaker)'",
                                locator: record.locator.with(conversation: "\(sampleName)/\(key)", messages: [id]),
                                path: "conversation.\(key)[\(i)].speaker")))
                }
            }
            for (speaker, perspective) in [(speakerA, forA), (speakerB, forB)] where !perspective.isEmpty {
                let user = "\(speaker)_\(index)"
                builder.adds(
                    turns: perspective, scope: Scope(userID: user), metadata: metadata, timestamp: timestamp,
                    locator: record.locator.with(conversation: "\(sampleName)/\(key)/\(user)"), into: &output)
            }
        }
    }
}
