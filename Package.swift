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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Wire types, the v2 filter language and the API error. Foundation only.
        .target(name: "MemoryAPI"),

        // The memory semantics on SQLite: the embedded target and the server's store.
        .target(
            name: "MemoryStore",
            dependencies: [
                "MemoryAPI",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),

        // The Mem0 REST routes over MemoryStore.
        .target(
            name: "MemoryServer",
            dependencies: [
                "MemoryAPI",
                "MemoryStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Shared helpers for tests and benchmarks: temp dirs, a `memport serve` child process.
        .target(name: "TestSupport", dependencies: ["MemoryAPI"]),

        // The command-line tool: wiring only.
        .executableTarget(
            name: "memport",
            dependencies: [
                "MemoryAPI",
                "MemoryStore",
                "MemoryServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "MemoryAPITests", dependencies: ["MemoryAPI"]),
        .testTarget(name: "MemoryStoreTests", dependencies: ["MemoryAPI", "MemoryStore", "TestSupport"]),
        .testTarget(
            name: "MemoryServerTests",
            dependencies: [
                "MemoryAPI", "MemoryStore", "MemoryServer", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
