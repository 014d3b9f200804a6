import Foundation
import Reading
import TestSupport
import Testing

@Suite struct PostgresLocationTests {
    @Test func aSocketDirectoryAsHostIsAUnixSocketWithoutTLS() throws {
        let at = try PostgresLocation.parse("postgresql://postgres@/postgres?host=/tmp/pg%20data", environment: [:])
        #expect(at.socketPath == "/tmp/pg data/.s.PGSQL.5432")
        #expect(at.host == nil)
        #expect(at.user == "postgres" && at.database == "postgres")
        #expect(at.sslMode == .disable)
        #expect(at.description == "postgresql://postgres@/postgres?host=/tmp/pg%20data&port=5432")
    }

    @Test func theURLWinsOverTheEnvironmentWhichFillsTheRest() throws {
        let env = [
            "PGHOST": "envhost", "PGPORT": "6000", "PGUSER": "envuser", "PGDATABASE": "envdb", "PGPASSWORD": "envpw",
            "PGSSLMODE": "require",
        ]
        let a = try PostgresLocation.parse("postgres://urluser@urlhost/urldb", environment: env)
        #expect(a.host == "urlhost" && a.port == 6000 && a.user == "urluser" && a.database == "urldb")
        #expect(a.password == "envpw" && a.sslMode == .require)
        let b = try PostgresLocation.parse("postgresql://", environment: env)
        #expect(b.host == "envhost" && b.user == "envuser" && b.database == "envdb")
        let c = try PostgresLocation.parse("postgresql://[::1]:7000/x?sslmode=verify-full", environment: [:])
        #expect(c.host == "::1" && c.port == 7000 && c.sslMode == .verifyFull)
        #expect(c.description == "postgresql://\(c.user)@[::1]:7000/x")
        #expect(throws: ReadingError.self) {
            try PostgresLocation.parse("postgres://h/db?sslmode=maybe", environment: [:])
        }
        #expect(throws: ReadingError.self) { try PostgresLocation.parse("postgres://h:notaport/db", environment: [:]) }
    }

    @Test func thePasswordFileIsReadAsLibpqReadsIt() async throws {
        try await TemporaryDirectory.with { dir in
            let file = dir.path("pgpass")
            try "# comment\nother:5432:*:*:no\ndb.example:5432:app:al\\:ice:pa\\:ss\n*:*:*:bob:bobpw\n".write(
                toFile: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            let a = try PostgresLocation.parse(
                "postgres://al%3Aice@db.example/app", environment: ["PGPASSFILE": file])
            #expect(a.password == "pa:ss")
            let b = try PostgresLocation.parse("postgres://bob@/x?host=/sock", environment: ["PGPASSFILE": file])
            #expect(b.password == "bobpw")
            // Readable by others: ignored, as libpq does.
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
            let c = try PostgresLocation.parse("postgres://bob@h/x", environment: ["PGPASSFILE": file])
            #expect(c.password == nil)
        }
    }
}
