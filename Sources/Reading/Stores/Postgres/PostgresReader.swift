import Foundation
import Logging
import MemoryAPI
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// A mem0 pgvector table (`id UUID PRIMARY KEY, vector vector(n), payload JSONB`) read with
/// `SELECT id, payload` in id order, one page at a time (keyset pagination: `WHERE id > last`),
/// through postgres-nio. The vector column is never read.
///
/// The reader is synchronous: it waits on postgres-nio's futures, which complete on NIO's own
/// event loops, so it must not run on one of them (it never does: the import reader and verify
/// call it from their own threads or tasks).
final class PostgresReader: StoreReader {
    let spec: StoreSpec
    private let connection: PostgresConnection
    private let batchSize: Int
    private let table: String
    private let idType: String
    private var after: String?
    private var done = false
    private var closed = false
    private static let logger = Logger(label: "memport.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    var position: StorePosition { StorePosition(after: after, ended: done) }

    init(spec: StoreSpec, batchSize: Int, from position: StorePosition = .start) throws {
        self.spec = spec
        self.batchSize = max(1, batchSize)
        after = position.after
        done = position.ended
        table = spec.collection
        guard let location = spec.postgres else {
            throw ReadingError.store(.usage, "no PostgreSQL location", store: spec.storeDescription)
        }
        let store = spec.storeDescription
        let configuration = try Self.configuration(location, store: store)
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1,
                logger: Self.logger
            ).wait()
        } catch {
            let place = location.socketPath.map { "the socket \($0)" } ?? "\(location.host ?? ""):\(location.port)"
            throw ReadingError.store(
                .storeConnection, "cannot connect to PostgreSQL at \(place) as \(location.user)", store: store,
                cause: Self.describe(error))
        }
        do {
            let columns = try Self.rows(
                connection,
                PostgresQuery(
                    unsafeSQL: """
                        SELECT a.attname::text, format_type(a.atttypid, a.atttypmod)
                        FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
                        """, binds: Self.binds([table])))
            var types: [String: String] = [:]
            for row in columns {
                let (name, type) = try row.decode((String, String).self)
                types[name] = type
            }
            if types.isEmpty {
                let candidates = try Self.rows(
                    connection,
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT CASE WHEN c.table_schema = 'public' THEN c.table_name::text
                                   ELSE (c.table_schema || '.' || c.table_name)::text END
                            FROM information_schema.columns c
                            WHERE c.column_name = 'payload' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
                            ORDER BY 1
                            """)
                ).map { try $0.decode(String.self) }
                    .filter { !$0.hasSuffix("_entities") && $0 != StoreSpec.telemetryCollection }
                throw ReadingError.store(
                    .missingCollection,
                    "no table \(table) in database \(location.database)"
                        + (candidates.isEmpty
                            ? "; no table there has a payload column"
                            : "; tables with a payload column: \(candidates.joined(separator: ", ")) "
                                + "(name one with ?table= or --collection; the self-hosted server uses memories)"),
                    store: store, collection: table)
            }
            guard let id = types["id"], types["payload"] != nil else {
                throw ReadingError.store(
                    .unknownStoreLayout,
                    "the table \(table) has no id and payload columns, so it is not a mem0 pgvector table; columns: "
                        + types.keys.sorted().joined(separator: ", "), store: store, collection: table)
            }
            idType = id
        } catch {
            try? connection.close().wait()
            if let e = error as? ReadingError { throw e }
            throw ReadingError.store(
                .storeQuery, "cannot read the table's columns", store: store, collection: table,
                cause: Self.describe(error))
        }
    }

    func next() throws -> [StorePoint]? {
        guard !done else { return nil }
        let query: PostgresQuery
        if let after {
            query = PostgresQuery(
                unsafeSQL: "SELECT id::text, payload::text FROM \(table) WHERE id > CAST($1 AS \(idType)) "
                    + "ORDER BY id LIMIT \(batchSize)", binds: Self.binds([after]))
        } else {
            query = PostgresQuery(
                unsafeSQL: "SELECT id::text, payload::text FROM \(table) ORDER BY id LIMIT \(batchSize)")
        }
        let rows: [PostgresRow]
        do {
            rows = try Self.rows(connection, query)
        } catch {
            throw ReadingError.store(
                .storeQuery, "cannot read the table", store: spec.storeDescription, collection: table,
                cause: Self.describe(error))
        }
        if rows.count < batchSize { done = true }
        var points: [StorePoint] = []
        points.reserveCapacity(rows.count)
        for row in rows {
            let (id, text) = try row.decode((String, String?).self)
            after = id
            points.append(StorePoint(id: id, payload: Self.parse(text, id: id, spec: spec)))
        }
        return points.isEmpty ? nil : points
    }

    func close() {
        guard !closed else { return }
        closed = true
        try? connection.close().wait()
    }

    deinit { if !closed { try? connection.close().wait() } }

    static func rows(_ connection: PostgresConnection, _ query: PostgresQuery) throws -> [PostgresRow] {
        try connection.query(query, logger: logger).wait().rows
    }

    static func binds(_ values: [String]) -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }

    static func parse(_ text: String?, id: String, spec: StoreSpec) -> Result<[String: JSONValue], ReadingError> {
        let store = spec.storeDescription
        guard let text else {
            return .failure(
                ReadingError.store(
                    .badPayload, "the payload is NULL", store: store, collection: spec.collection, pointID: id))
        }
        do {
            guard case .object(let object) = try JSONValue.parse(Data(text.utf8)) else {
                return .failure(
                    ReadingError.store(
                        .badPayload, "the payload is not a JSON object", store: store, collection: spec.collection,
                        pointID: id))
            }
            return .success(object)
        } catch {
            return .failure(
                ReadingError.store(
                    .badPayload, "the payload is not valid JSON", store: store, collection: spec.collection,
                    pointID: id,
                    cause: "\(error)"))
        }
    }

    /// postgres-nio's configuration for a location: a Unix socket, or TCP with libpq's TLS modes.
    static func configuration(_ location: PostgresLocation, store: String) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socket = location.socketPath {
            configuration = .init(
                unixSocketPath: socket, username: location.user, password: location.password,
                database: location.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch location.sslMode {
            case .disable:
                tls = .disable
            case .allow, .prefer, .require, .verifyCA, .verifyFull:
                var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
                // libpq verifies nothing in allow, prefer and require, unless require has a root certificate.
                let rootGiven = location.sslRootCert != nil
                switch location.sslMode {
                case .verifyFull: tlsConfiguration.certificateVerification = .fullVerification
                case .verifyCA: tlsConfiguration.certificateVerification = .noHostnameVerification
                case .require where rootGiven: tlsConfiguration.certificateVerification = .noHostnameVerification
                default: tlsConfiguration.certificateVerification = .none
                }
                if let root = location.sslRootCert, root != "system" {
                    tlsConfiguration.trustRoots = .file(root)
                }
                let context: NIOSSLContext
                do {
                    context = try NIOSSLContext(configuration: tlsConfiguration)
                } catch {
                    throw ReadingError.store(.usage, "cannot set up TLS", store: store, cause: "\(error)")
                }
                tls = location.sslMode == .allow || location.sslMode == .prefer ? .prefer(context) : .require(context)
            }
            configuration = .init(
                host: location.host ?? "localhost", port: location.port, username: location.user,
                password: location.password, database: location.database, tls: tls)
        }
        if let seconds = location.connectTimeout, seconds > 0 {
            configuration.options.connectTimeout = .seconds(Int64(seconds))
        }
        return configuration
    }

    /// A driver error as a sentence: the server's message and SQLSTATE, or the network error.
    /// postgres-nio's own description hides details on purpose; none of these carry the password.
    static func describe(_ error: any Error) -> String {
        guard let e = error as? PSQLError else { return "\(error)" }
        var parts: [String] = []
        if let info = e.serverInfo {
            if let message = info[.message] { parts.append(message) }
            if let state = info[.sqlState] { parts.append("SQLSTATE \(state)") }
        }
        if parts.isEmpty { parts.append(e.code.description) }
        if let underlying = e.underlying { parts.append("\(underlying)") }
        return parts.joined(separator: "; ")
    }
}
