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

    @Test func aFileStoreIsTheSameStoreNamedByItsFolderOrItsFile() throws {
        let folder = try #require(try StoreSpec.parse("mem0-ts:/data/ts", environment: [:]))
        let file = try #require(try StoreSpec.parse("mem0-ts:/data/ts/vector_store.db", environment: [:]))
        #expect(folder.identity == file.identity)
        let chroma = try #require(try StoreSpec.parse("chroma:/data/db/chroma.sqlite3", environment: [:]))
        #expect(chroma.identity == "chroma:/data/db?collection=mem0")
        let named = try #require(try StoreSpec.parse("chroma:/data/db?collection=notes", environment: [:]))
        #expect(named.collection == "notes")
    }

    @Test func aMissingStoreFileIsFoundMissingWhenOpened() throws {
        let spec = try #require(try StoreSpec.parse("chroma:/nonexistent/memport-db", environment: [:]))
        let error = #expect(throws: ReadingError.self) { try StoreReaders.open(spec) }
        #expect(error?.code == .inputNotFound)
        #expect(error?.code.isUnreadableInput == true)
    }
}
