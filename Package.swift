// swift-tools-version:6.0
import PackageDescription

// The hashing and row loops run over millions of rows in the tests too (a killed migration of a
// million samples, Ctrl-C during a million-row write): unoptimized they are 10–20× slower.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "metaxy-tui",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "metaxy-tui", targets: ["metaxy-tui"]),
        .executable(name: "metaxy-bench", targets: ["MetaxyBench"]),
        .library(name: "MetaxyCore", targets: ["MetaxyCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "MetaxyCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: optimizedInDebug
        ),
        // The system SQLite, through a thin shim: inserting 1,000,000 rows takes 1.1 s this way and
        // 1.7 s through GRDB on this machine, and the store's budget is a few seconds for its whole workload.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // PostgreSQL through postgres-nio (no libpq): SwiftNIO for its buffers and timeouts, NIOSSL for `sslmode`.
        .target(
            name: "MetaxyStore",
            dependencies: [
                "MetaxyCore", "CSQLite",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: optimizedInDebug
        ),
        // A metaxy project: its config (TOML, through TOMLKit), its store, its live graph.
        .target(name: "MetaxyProject", dependencies: ["MetaxyCore", .product(name: "TOMLKit", package: "TOMLKit")]),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", providers: [.apt(["libncurses-dev"])]),
        .target(name: "TerminalKit", dependencies: ["CNcurses", .product(name: "Yams", package: "Yams")]),
        .target(name: "MetaxyTUI", dependencies: ["MetaxyCore", "MetaxyStore", "MetaxyProject", "TerminalKit"]),
        .executableTarget(
            name: "metaxy-tui",
            dependencies: [
                "MetaxyCore",
                "MetaxyStore",
                "MetaxyProject",
                "MetaxyTUI",
                "TerminalKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "MetaxyBench",
            dependencies: ["MetaxyCore", "MetaxyStore", "MetaxyProject", "MetaxyTUI", "TerminalKit", "TestSupport"],
            path: "Benchmarks/MetaxyBench"
        ),
        .target(name: "TestSupport", dependencies: ["MetaxyCore"], path: "Tests/TestSupport"),
        .testTarget(name: "MetaxyCoreTests", dependencies: ["MetaxyCore", "TestSupport"]),
        .testTarget(name: "MetaxyProjectTests", dependencies: ["MetaxyProject", "MetaxyCore", "TestSupport"]),
        .testTarget(name: "MetaxyStoreTests", dependencies: ["MetaxyStore", "MetaxyCore", "TestSupport"]),
        .testTarget(name: "TerminalKitTests", dependencies: ["TerminalKit"]),
        .testTarget(name: "MetaxyTUITests", dependencies: ["MetaxyTUI", "TerminalKit", "MetaxyCore", "MetaxyStore", "TestSupport"], exclude: ["Goldens"]),
        .testTarget(name: "MetaxyCLITests", dependencies: ["MetaxyCore", "TestSupport"], exclude: ["Goldens"]),
    ]
)
