// swift-tools-version:6.0
import PackageDescription

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
    ],
    targets: [
        .target(
            name: "MetaxyCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "metaxy-tui",
            dependencies: [
                "MetaxyCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "MetaxyBench",
            dependencies: ["MetaxyCore"],
            path: "Benchmarks/MetaxyBench"
        ),
        .target(name: "TestSupport", dependencies: ["MetaxyCore"], path: "Tests/TestSupport"),
        .testTarget(name: "MetaxyCoreTests", dependencies: ["MetaxyCore", "TestSupport"]),
        .testTarget(name: "MetaxyCLITests", dependencies: ["MetaxyCore", "TestSupport"], exclude: ["Goldens"]),
    ]
)
