// swift-tools-version:6.1
// memport: move memories in and out of the Mem0 memory platform at scale.
// The module map follows docs/DESIGN.md: dependencies point one way, from the
// executable down to MemoryAPI, which imports Foundation only.

import PackageDescription

let package = Package(
    name: "memport",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "memport", targets: ["memport"]),
        .library(name: "MemoryAPI", targets: ["MemoryAPI"]),
        .library(name: "MemoryStore", targets: ["MemoryStore"]),
        .library(name: "MemoryServer", targets: ["MemoryServer"]),
        .library(name: "MemoryClient", targets: ["MemoryClient"]),
        .library(name: "Reading", targets: ["Reading"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // SHA-256 for import keys and checksums (BoringSSL's accelerated one on Linux). 3.12.3 or
        // later: postgres-nio already takes swift-crypto into the graph, up to the next major 4.x.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // Wire types, the v2 filter language and the API error. Foundation only.
        .target(name: "MemoryAPI"),

        // The memory semantics on SQLite: the embedded target and the server's store.
        // GRDBSQLite (GRDB's own module over the system SQLite) binds the bulk add path's
        // values straight through the C API; CSQLite makes the one variadic call Swift cannot.
        .target(
            name: "MemoryStore",
            dependencies: [
                "MemoryAPI",
                "CSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),

        // The system SQLite's variadic sqlite3_config, wrapped for Swift (process-wide settings).
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),

        // The Mem0 REST routes over MemoryStore.
        .target(
            name: "MemoryServer",
            dependencies: [
                "MemoryAPI",
                "MemoryStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),

        // The async HTTP client for every contract endpoint: retry policy, pacing, errors.
        .target(
            name: "MemoryClient",
            dependencies: [
                "MemoryAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // The system zlib, for gzip input and output.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),

        // glibc's malloc_trim, so a finished chunk's memory goes back to the kernel.
        .systemLibrary(name: "CMalloc"),

        // The reading half: sources, formats, adapters and units, bytes in and import units out.
        // It knows nothing of ledgers or targets; new readers land here, the self-hosted Mem0
        // stores among them: Chroma's and the TypeScript SDK's SQLite files (GRDB) and
        // PostgreSQL + pgvector tables (postgres-nio; TLS through swift-nio-ssl).
        .target(
            name: "Reading",
            dependencies: [
                "MemoryAPI",
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),

        // The delivering half: ledger, engine, targets, export, backup, migrate, verify.
        .target(
            name: "Pipeline",
            dependencies: [
                "MemoryAPI",
                "Reading",
                "MemoryClient",
                "MemoryStore",
                "CZlib",
                "CMalloc",
                "CSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // Shared helpers for tests and benchmarks: temp dirs, a `memport serve` child process.
        .target(name: "TestSupport", dependencies: ["MemoryAPI"]),

        // The client benchmark: calls per second against `memport serve`.
        .executableTarget(
            name: "memport-bench-client",
            dependencies: ["MemoryClient", "MemoryAPI"],
            path: "bench/client/Sources"
        ),

        // The JSON coders benchmark: the add path's bodies through Foundation's coders and ours.
        .executableTarget(
            name: "memport-bench-json",
            dependencies: ["MemoryAPI"],
            path: "bench/json/Sources"
        ),

        // The command-line tool: wiring only.
        .executableTarget(
            name: "memport",
            dependencies: [
                "MemoryAPI",
                "MemoryStore",
                "MemoryServer",
                "MemoryClient",
                "Pipeline",
                "Reading",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "MemoryAPITests", dependencies: ["MemoryAPI", "TestSupport"]),
        .testTarget(name: "MemoryStoreTests", dependencies: ["MemoryAPI", "MemoryStore", "TestSupport"]),
        .testTarget(
            name: "MemoryServerTests",
            dependencies: [
                "MemoryAPI", "MemoryStore", "MemoryServer", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "MemoryClientTests",
            dependencies: [
                "MemoryClient", "MemoryAPI", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "Reading", "MemoryAPI", "MemoryStore", "MemoryClient", "TestSupport"]
        ),
        // The self-hosted Mem0 stores against real Chroma and PostgreSQL + pgvector written by the
        // real mem0ai (the .venv-oss that scripts/test installs).
        .testTarget(
            name: "OSSStoresTests",
            dependencies: [
                "Reading", "Pipeline", "MemoryAPI", "MemoryStore", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)
