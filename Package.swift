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
        .library(name: "Pipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Wire types, the v2 filter language and the API error. Foundation only.
        .target(name: "MemoryAPI"),

        // The system zlib, for gzip input and output.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),

        // Sources, formats, adapters, units, ledger, runner, export, backup, migrate, verify.
        .target(
            name: "Pipeline",
            dependencies: [
                "MemoryAPI",
                "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // The command-line tool: wiring only.
        .executableTarget(
            name: "memport",
            dependencies: [
                "MemoryAPI",
                "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "MemoryAPITests", dependencies: ["MemoryAPI"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "MemoryAPI"]),
    ]
)
