import MemoryAPI
import Pipeline
import Reading
import Testing

@Suite struct MigrationImportKeyTests {
    @Test func matchesTheScriptsFormula() {
        // sha256("python:qdrant:mem0:abc") as Python's hashlib computes it.
        let key = MigrationImportKey(sdk: "python", vectorStore: "qdrant", collection: "mem0").key(recordID: "abc")
        #expect(key == "b0c26648903b110af5f9eab80f528553cfaf58f4459adf654b8e0c5fe8402fc2")
        #expect(MigrationImportKey.unknown.key(recordID: "7") == SHA256.hex("unknown:unknown:unknown:7"))
        #expect(
            MigrationImportKey(sdk: "", vectorStore: nil, collection: "c").key(recordID: "1")
                == SHA256.hex("unknown:unknown:c:1"))
    }

    @Test func reviewRecordsTakeTheirPartsFromTheRecordSource() {
        let parts = MigrationImportKey(recordSource: "python_oss_qdrant")
        #expect(parts == MigrationImportKey(sdk: "python", vectorStore: "qdrant", collection: "mem0"))
        #expect(MigrationImportKey(recordSource: nil) == .unknown)
    }
}
