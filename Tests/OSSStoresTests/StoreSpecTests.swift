import Foundation
import Reading
import Testing

@Suite struct StoreSpecTests {
    @Test func postgresURLNeverShowsThePassword() throws {
        let spec = try #require(
            try StoreSpec.parse("postgresql://alice:s3cr%40t@db.example:6543/app?table=memories", environment: [:]))
        #expect(spec.kind == .postgres)
        #expect(spec.collection == "memories")
        #expect(spec.postgres?.password == "s3cr@t")
        #expect(spec.description == "postgresql://alice@db.example:6543/app?table=memories")
        #expect(!spec.description.contains("s3cr"))
        #expect(
            PostgresLocation.redact("postgres://a:pw@h/db?password=x&table=t")
                == "postgres://a:***@h/db?password=***&table=t")
    }
}
