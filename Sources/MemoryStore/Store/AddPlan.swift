import Foundation
import MemoryAPI

extension MemoryStore {
    /// An add call checked, attributed and written ahead: everything about its rows that needs
    /// no database (ids, content hashes, history input, the event's results when every message
    /// is new) is made here, so a bulk import can do it while the previous chunk is written.
    struct AddPlan: Sendable {
        /// A message to store in a scope, with its rows' values made ahead.
        struct Planned: Sendable {
            let text: String
            let scope: Scope
            let hash: String
            let memoryID: String
            let historyID: String
            /// The history entry's `input`: the message as JSON text.
            let input: String?
        }

        var messages: [Planned]
        var metadata: String?
        var categories: String?
        var immutable: Bool
        var expiration: (text: String, at: Double)?
        var created: Date?
        var eventID: String
        /// The event's results JSON when every message is stored as new (no NOOP).
        var allAdded: String
        /// When the call was accepted: the time of its history, event and (without `timestamp`) memories.
        var now: Date

        /// Validates an add call and decides which messages go where; touches no database.
        ///
        /// - Throws: ``MemoryStoreError`` `.validation` when no entity id is given or a field is malformed.
        init(_ request: AddRequest, now: Date) throws {
            let scope = request.effectiveScope
            if scope.isEmpty {
                throw MemoryStoreError.invalid("One of the filters: app_id, user_id, agent_id, run_id is required!")
            }
            for t in EntityType.allCases {
                guard let id = scope[t] else { continue }
                if id.isEmpty { throw MemoryStoreError.invalid("\(t.idField) must not be empty", path: t.idField) }
                // SQLite and most tools downstream cut a string at a NUL: an id holding one could not
                // be listed, filtered or exported as it was given, so it is refused here.
                if id.utf8.contains(0) {
                    throw MemoryStoreError.invalid("\(t.idField) must not contain a NUL character", path: t.idField)
                }
            }
            if let raw = request.expirationDate {
                guard let d = MemoryTimestamp.parse(raw), MemoryTimestamp.isStorable(d.timeIntervalSince1970) else {
                    throw MemoryStoreError.invalid(
                        "expiration_date must be a date YYYY-MM-DD in the years 0001 to 9999, got "
                            + MemoryAPIError.truncate(raw, limit: 40),
                        path: "expiration_date")
                }
                let day = MemoryTimestamp.formatDay(d)
                expiration = (day, MemoryTimestamp.parse(day)?.timeIntervalSince1970 ?? d.timeIntervalSince1970)
            }
            let attributed = MemoryStore.attribute(
                request.messages, scope: scope, verbatim: request.memportVerbatim == true)
            messages = attributed.map { message, text, target in
                Planned(
                    text: text, scope: target, hash: MemoryRow.hash(text), memoryID: MemoryStore.newID(),
                    historyID: MemoryStore.newID(), input: MemoryRow.json([message]))
            }
            metadata = MemoryRow.json(request.metadata)
            categories = MemoryRow.json(request.memportCategories)
            immutable = request.immutable ?? false
            if let timestamp = request.timestamp {
                guard let seconds = MemoryTimestamp.epochSeconds(Double(timestamp)) else {
                    throw MemoryStoreError.invalid(
                        "timestamp \(MemoryTimestamp.epochRule), got \(timestamp)", path: "timestamp")
                }
                created = Date(timeIntervalSince1970: seconds.rounded(.down))
            }
            eventID = MemoryStore.newID()
            allAdded = MemoryRow.json(
                messages.map { AddEvent(id: $0.memoryID, memory: $0.text, event: .add, scope: $0.scope) })
            self.now = now
        }

        func response(_ results: [AddEvent]) -> AddResponse {
            AddResponse(
                shape: .envelope, results: results, eventID: eventID, status: MemoryJob.Status.succeeded.rawValue,
                message: "Memories stored successfully")
        }
    }
}
