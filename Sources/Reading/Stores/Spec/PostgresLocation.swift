import Foundation

/// A PostgreSQL connection as libpq would make it from a URL and the `PG*` environment: host
/// (a name, an address, or a Unix-socket directory), port, database, user, password, TLS mode.
///
/// Values in the URL win over the environment (`PGHOST`, `PGHOSTADDR`, `PGPORT`, `PGDATABASE`,
/// `PGUSER`, `PGPASSWORD`, `PGPASSFILE`, `PGSSLMODE`, `PGSSLROOTCERT`, `PGCONNECT_TIMEOUT`);
/// without a password either, `~/.pgpass` (or `PGPASSFILE`) is read as libpq reads it. The
/// `description` never shows the password.
///
/// ```swift
/// let at = try PostgresLocation.parse("postgresql://postgres@/postgres?host=/tmp/pg", environment: [:])
/// at.socketPath   // "/tmp/pg/.s.PGSQL.5432"
/// ```
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// libpq's TLS modes.
    public enum SSLMode: String, Sendable, Hashable {
        /// No TLS.
        case disable
        /// TLS if the server offers it (treated as `prefer`).
        case allow
        /// TLS if the server offers it, unverified (libpq's default).
        case prefer
        /// TLS required, the certificate not verified (verified against `sslrootcert` when given).
        case require
        /// TLS required, the chain verified, not the host name.
        case verifyCA = "verify-ca"
        /// TLS required, chain and host name verified.
        case verifyFull = "verify-full"
    }

    /// The host name or address; nil for a Unix socket.
    public var host: String?
    /// The directory of the server's Unix socket; nil for TCP.
    public var socketDirectory: String?
    /// The port (also names the socket file).
    public var port: Int
    /// The database.
    public var database: String
    /// The user.
    public var user: String
    /// The password, if any: never shown.
    public var password: String?
    /// The TLS mode.
    public var sslMode: SSLMode
    /// A CA file for `verify-ca`/`verify-full` (`system` means the system's roots).
    public var sslRootCert: String?
    /// Seconds to wait for the connection.
    public var connectTimeout: Int?
    /// The `table` (or `collection`) parameter of the URL, if any.
    public var table: String?

    /// The socket file for a Unix-socket connection.
    public var socketPath: String? { socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } }

    /// `postgresql://user@host:5432/db` or `postgresql://user@/db?host=/dir&port=5432`; no password.
    public var description: String {
        let u = Self.encode(user)
        let d = Self.encode(database)
        if let socketDirectory {
            return "postgresql://\(u)@/\(d)?host=\(Self.encode(socketDirectory))&port=\(port)"
        }
        let h = (host ?? "").contains(":") ? "[\(host ?? "")]" : (host ?? "")
        return "postgresql://\(u)@\(h):\(port)/\(d)"
    }

    /// Parses a `postgres://` or `postgresql://` URL and fills what it leaves out from the environment.
    ///
    /// - Throws: `ReadingError` `.usage` for a malformed URL or an unknown `sslmode`.
    public static func parse(_ url: String, environment: [String: String]) throws -> PostgresLocation {
        let shown = redact(url)
        guard let schemeEnd = url.range(of: "://") else {
            throw ReadingError.store(.usage, "not a PostgreSQL URL", store: shown)
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        var params: [String: String] = [:]
        if let q = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: q)...].split(separator: "&") where !pair.isEmpty {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard kv.count == 2, let key = decode(kv[0]), let value = decode(kv[1]) else {
                    throw ReadingError.store(.usage, "malformed URL parameter '\(kv[0])'", store: shown)
                }
                params[key] = value
            }
            rest = rest[..<q]
        }
        var authority = rest
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        }
        var userInfo: Substring?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
        }
        var urlUser: String?
        var urlPassword: String?
        if let userInfo {
            if let colon = userInfo.firstIndex(of: ":") {
                urlUser = decode(userInfo[..<colon])
                urlPassword = decode(userInfo[userInfo.index(after: colon)...])
            } else {
                urlUser = decode(userInfo)
            }
        }
        if hostPort.contains(",") {
            throw ReadingError.store(.usage, "several hosts in one URL are not supported; name one", store: shown)
        }
        var urlHost: String?
        var urlPort: String?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw ReadingError.store(.usage, "an IPv6 host has no closing ]", store: shown)
            }
            urlHost = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { urlPort = String(after.dropFirst()) }
        } else if let colon = hostPort.lastIndex(of: ":") {
            urlHost = decode(hostPort[..<colon])
            urlPort = String(hostPort[hostPort.index(after: colon)...])
        } else if !hostPort.isEmpty {
            urlHost = decode(hostPort)
        }
        if urlHost?.isEmpty == true { urlHost = nil }
        if urlPort?.isEmpty == true { urlPort = nil }
        let known: Set<String> = [
            "host", "hostaddr", "port", "dbname", "user", "password", "sslmode", "sslrootcert", "connect_timeout",
            "application_name", "passfile", "table", "collection", "sslcert", "sslkey", "options",
            "target_session_attrs",
        ]
        if let unknown = params.keys.sorted().first(where: { !known.contains($0) }) {
            throw ReadingError.store(.usage, "unknown URL parameter '\(unknown)'", store: shown)
        }
        func pick(_ url: String?, _ param: String, _ env: String) -> String? {
            if let url, !url.isEmpty { return url }
            if let p = params[param], !p.isEmpty { return p }
            if let e = environment[env], !e.isEmpty { return e }
            return nil
        }
        var location = PostgresLocation(
            host: nil, socketDirectory: nil, port: 5432, database: "", user: "", password: nil, sslMode: .prefer,
            sslRootCert: nil, connectTimeout: nil, table: params["table"] ?? params["collection"])
        let portText = pick(urlPort, "port", "PGPORT") ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw ReadingError.store(.usage, "the port '\(portText)' is not a number from 1 to 65535", store: shown)
        }
        location.port = port
        location.user = pick(urlUser, "user", "PGUSER") ?? Self.osUser(environment)
        location.database =
            pick(decode(path).flatMap { $0.isEmpty ? nil : $0 }, "dbname", "PGDATABASE") ?? location.user
        let host = pick(urlHost, "host", "PGHOST") ?? pick(nil, "hostaddr", "PGHOSTADDR")
        if let host, host.hasPrefix("/") {
            location.socketDirectory = host
        } else if let host {
            location.host = host
        } else {
            // libpq's default: the server's Unix socket (Debian's directory, then /tmp).
            let dirs = ["/var/run/postgresql", "/tmp"]
            location.socketDirectory =
                dirs.first { FileManager.default.fileExists(atPath: "\($0)/.s.PGSQL.\(port)") } ?? dirs[0]
        }
        let modeText = pick(nil, "sslmode", "PGSSLMODE") ?? (location.socketDirectory != nil ? "disable" : "prefer")
        guard let mode = SSLMode(rawValue: modeText) else {
            throw ReadingError.store(
                .usage, "sslmode '\(modeText)' is not one of disable, allow, prefer, require, verify-ca, verify-full",
                store: shown)
        }
        location.sslMode = location.socketDirectory != nil ? .disable : mode
        location.sslRootCert = pick(nil, "sslrootcert", "PGSSLROOTCERT")
        if let t = pick(nil, "connect_timeout", "PGCONNECT_TIMEOUT") {
            guard let seconds = Int(t) else {
                throw ReadingError.store(.usage, "connect_timeout '\(t)' is not a number of seconds", store: shown)
            }
            location.connectTimeout = seconds
        }
        location.password = pick(urlPassword, "password", "PGPASSWORD")
        if location.password == nil {
            let file =
                pick(nil, "passfile", "PGPASSFILE")
                ?? environment["HOME"].map { "\($0)/.pgpass" }
            if let file { location.password = PassFile.lookup(file: file, location: location) }
        }
        return location
    }

    /// The URL with any password (in the user info or a `password=` parameter) replaced by `***`.
    public static func redact(_ url: String) -> String {
        var text = url
        if let schemeEnd = text.range(of: "://") {
            let after = text[schemeEnd.upperBound...]
            let authorityEnd = after.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? after.endIndex
            if let at = after[..<authorityEnd].lastIndex(of: "@"),
                let colon = after[..<at].firstIndex(of: ":")
            {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
        }
        if let range = text.range(of: "password=") {
            let end = text[range.upperBound...].firstIndex(of: "&") ?? text.endIndex
            text.replaceSubrange(range.upperBound..<end, with: "***")
        }
        return text
    }

    static func decode<S: StringProtocol>(_ text: S) -> String? { String(text).removingPercentEncoding }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The operating-system user, libpq's default user name.
    static func osUser(_ environment: [String: String]) -> String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? "postgres"
    }
}

/// libpq's password file: `host:port:database:user:password` lines, `*` matching anything, `\`
/// escaping `:` and `\`; a Unix-socket connection matches the host `localhost`. Ignored (as libpq
/// does) when group or others can read it.
enum PassFile {
    static func lookup(file: String, location: PostgresLocation) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 == 0,
            let text = try? String(contentsOfFile: file, encoding: .utf8)
        else { return nil }
        let host = location.socketDirectory != nil ? "localhost" : (location.host ?? "localhost")
        let want = [host, String(location.port), location.database, location.user]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            let fields = split(line)
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), want).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// Splits one line on unescaped colons.
    static func split(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for c in line {
            if escaped {
                current.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }
}
