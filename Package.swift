// swift-tools-version: 6.2
// The `lgsp` package: a provincial integration and data-sharing platform (LGSP).
// Module map and dependency direction: see docs/ARCHITECTURE.md. Arrows point inward to LGSPCore.

import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "lgsp",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lgsp", targets: ["lgsp"]),
        .library(name: "LGSPClient", targets: ["LGSPClient"]),
        .library(name: "LGSPCore", targets: ["LGSPCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/apple/swift-http-structured-headers.git", from: "1.7.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // Domain model, ports, exchange use cases, delivery state machine. No HTTP, SQL or XML.
        .target(
            name: "LGSPCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Request signatures (AWS SigV4 first), credentials, replay guard. No HTTP server dependency.
        .target(
            name: "LGSPAuth",
            dependencies: [
                "LGSPCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "RawStructuredFieldValues", package: "swift-http-structured-headers"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: strict
        ),
        // The JSON shapes of the REST API v1, shared by the server and the client.
        .target(
            name: "LGSPAPI",
            dependencies: ["LGSPCore"],
            swiftSettings: strict
        ),
        // Port implementations: SQLite (GRDB) store, encrypted folder blob store.
        .target(
            name: "LGSPStorage",
            dependencies: [
                "LGSPCore",
                // The S3 blob store signs its requests with LGSPAuth's SigV4 signer.
                "LGSPAuth",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Adapters between legacy wire forms and the core: file-drop folders (a pure codec + a folder-scanning service), SOAP/edXML (a pure codec).
        .target(
            name: "LGSPAdapters",
            dependencies: [
                "LGSPCore", "LGSPTransform",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The Hummingbird application: routes, auth middleware, admin API, configuration.
        .target(
            name: "LGSPServer",
            dependencies: [
                "LGSPCore", "LGSPAuth", "LGSPAPI", "LGSPStorage", "LGSPTransform", "LGSPAdapters",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/console")],
            swiftSettings: strict
        ),
        // libxml2 from the system (`libxml2-dev`), with a shim header for what Swift cannot call directly.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // Transformation layer: safe XML (libxml2), JSON Schema, mapping files, national catalogues.
        .target(
            name: "LGSPTransform",
            dependencies: [
                "LGSPCore", "CLibXML2",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Swift library for connected apps: signing, send, receive, retries, clock-skew correction.
        .target(
            name: "LGSPClient",
            dependencies: [
                "LGSPCore", "LGSPAuth", "LGSPAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Test support: TestHub (a real hub on port 0), conformance suites every port implementation runs.
        .target(
            name: "LGSPTesting",
            dependencies: [
                "LGSPCore", "LGSPAuth", "LGSPAPI", "LGSPStorage", "LGSPServer", "LGSPClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "lgsp",
            dependencies: [
                "LGSPCore", "LGSPTransform", "LGSPAuth", "LGSPAPI", "LGSPStorage", "LGSPServer", "LGSPClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // `lgsp bench auth` measures the raw primitives beside the schemes.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                // `lgsp bench notify` holds the destination's WebSocket on /v1/stream.
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LGSPCoreTests",
            dependencies: ["LGSPCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LGSPAdaptersTests",
            dependencies: ["LGSPAdapters", "LGSPCore", "LGSPTransform"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LGSPTransformTests",
            dependencies: ["LGSPTransform", "LGSPCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LGSPAuthTests",
            dependencies: [
                "LGSPAuth", "LGSPCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LGSPStorageTests",
            dependencies: ["LGSPStorage", "LGSPCore", "LGSPTesting"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LGSPIntegrationTests",
            dependencies: [
                "LGSPTesting", "LGSPClient", "LGSPServer", "LGSPAPI", "LGSPCore", "LGSPAuth", "LGSPTransform",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
    ]
)
