// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "billing-alert",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "billing-alert", targets: ["billing-alert"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "BillingCore"),
        .target(name: "BillingWire", dependencies: ["BillingCore"]),
        .target(
            name: "BillingPipeline",
            dependencies: ["BillingCore", "BillingWire", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "HTTPTransport",
            dependencies: [
                "BillingPipeline",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "KakaoBilling",
            dependencies: [
                "BillingPipeline", "BillingWire", "HTTPTransport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "BillingSimulator",
            dependencies: [
                "BillingCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SQLiteStore",
            dependencies: [
                "BillingPipeline", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "PostgresStore",
            dependencies: [
                "BillingPipeline",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "ObjectArchive",
            dependencies: [
                "BillingPipeline", "BillingWire", "HTTPTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "AlertChannels",
            dependencies: [
                "BillingPipeline", "HTTPTransport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "BillingApp",
            dependencies: [
                "BillingPipeline", "BillingWire", "KakaoBilling", "SQLiteStore", "PostgresStore", "ObjectArchive",
                "AlertChannels",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "BillingLab",
            dependencies: [
                "BillingApp", "BillingPipeline", "BillingWire", "BillingSimulator", "ObjectArchive",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "BillingServe",
            dependencies: [
                "BillingApp", "BillingPipeline", "BillingCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "billing-alert",
            dependencies: [
                "BillingApp", "BillingLab", "BillingServe", "BillingPipeline", "BillingCore", "BillingSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["BuildInfo"]
        ),
        .plugin(name: "BuildInfo", capability: .buildTool()),
        .target(
            name: "BillingTesting",
            dependencies: [
                "BillingPipeline", "BillingCore", "BillingSimulator", "PostgresStore", "ObjectArchive",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),

        .testTarget(name: "BillingCoreTests", dependencies: ["BillingCore", "BillingTesting", "BillingSimulator"]),
        .testTarget(name: "BillingWireTests", dependencies: ["BillingWire", "BillingCore", "BillingSimulator"]),
        .testTarget(
            name: "BillingPipelineTests",
            dependencies: ["BillingPipeline", "BillingWire", "BillingTesting"]
        ),
        .testTarget(
            name: "KakaoBillingTests",
            dependencies: ["KakaoBilling", "BillingWire", "BillingSimulator", "BillingTesting"]
        ),
        .testTarget(
            name: "BillingSimulatorTests",
            dependencies: ["BillingSimulator", "BillingWire", .product(name: "AsyncHTTPClient", package: "async-http-client")]
        ),
        .testTarget(
            name: "SQLiteStoreTests", dependencies: ["SQLiteStore", "BillingTesting", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "StoreContractTests",
            dependencies: [
                "SQLiteStore", "PostgresStore", "BillingTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "ObjectArchiveTests",
            dependencies: [
                "ObjectArchive", "BillingPipeline", "BillingWire", "BillingTesting",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "AlertChannelsTests", dependencies: ["AlertChannels", "BillingTesting"]),
        .testTarget(
            name: "BillingAppTests",
            dependencies: [
                "BillingApp", "BillingLab", "BillingServe", "BillingTesting", "billing-alert", "BillingSimulator", "BillingWire", "SQLiteStore",
                "KakaoBilling", "AlertChannels", "PostgresStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
    ]
)
