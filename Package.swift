// swift-tools-version:6.1
import PackageDescription

// Layering is one way: Model and Merge depend on nothing of ours, Store on both,
// Deliberation (the 六事 loop) on those three, and the executables on everything.
// Later modules (Sync, Central, Station) stack on Store.
let package = Package(
    name: "yishi",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "yishi", targets: ["yishi"]),
        .executable(name: "yishi-bench", targets: ["yishi-bench"]),
        .library(name: "YishiStore", targets: ["YishiStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(name: "YishiModel"),
        .target(name: "YishiMerge"),
        // Who wrote an op, provably: hash chains per origin, signed checkpoints, the street's
        // signed directory of keys, and the check every replica makes before it applies.
        .target(
            name: "YishiTrust",
            dependencies: ["YishiMerge", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "YishiStore",
            dependencies: [
                "YishiModel", "YishiMerge", "YishiTrust",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "YishiDeliberation",
            dependencies: ["YishiModel", "YishiMerge", "YishiStore", "YishiTrust"]
        ),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Debian's libqrencode for the QR codes on printed notices and the residents' board.
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .target(name: "YishiQRCode", dependencies: ["CQRencode"]),
        // The request context both servers build: Hummingbird's, plus the peer's address.
        .target(name: "YishiHTTP", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        ]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "YishiSync",
            dependencies: [
                "YishiMerge", "YishiStore", "YishiTrust", "CCurl", "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "YishiCentral",
            dependencies: [
                "YishiMerge", "YishiModel", "YishiStore", "YishiSync", "YishiHTTP", "YishiTrust",
                .product(name: "Hummingbird", package: "hummingbird"),
                // HTTPS served by the central itself, with a private CA it can make.
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The central's shared records in PostgreSQL, for several central processes on one
        // database (issue 23): the schema and its steps, the arrival log, the stations.
        .target(
            name: "YishiPostgres",
            dependencies: [
                "YishiCentral", "YishiSync", "YishiStore", "YishiMerge", "YishiDesk", "YishiTrust",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What both desks share: layout and templates, staff accounts, sessions, CSRF,
        // forms and charts. It knows nothing of the loop; the desks above it do.
        .target(
            name: "YishiDesk",
            dependencies: [
                "YishiModel", "YishiStore", "YishiHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The loop's read-only pages both desks show: topic lists, topic pages and history,
        // statistics with charts and CSV.
        .target(
            name: "YishiLoopPages",
            dependencies: [
                "YishiDesk", "YishiDeliberation", "YishiModel", "YishiMerge", "YishiStore",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // The residents' board (公示栏) and online intake, without login, under /public: the
        // central serves it for every community, a station for its own. It reads through
        // YishiDeliberation and redacts as the notices do.
        .target(
            name: "YishiPublicBoard",
            dependencies: [
                "YishiDesk", "YishiDeliberation", "YishiModel", "YishiMerge", "YishiStore", "YishiQRCode", "YishiHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The station desk (站点工作台): the whole loop in a browser, through YishiDeliberation.
        .target(
            name: "YishiStationDesk",
            dependencies: [
                "YishiDesk", "YishiLoopPages", "YishiDeliberation", "YishiModel", "YishiMerge", "YishiStore", "YishiSync",
                "YishiPublicBoard", "YishiQRCode", "YishiHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The street office's desk (街道工作台) at the central, on the same operations.
        .target(
            name: "YishiOfficeDesk",
            dependencies: [
                "YishiDesk", "YishiLoopPages", "YishiDeliberation", "YishiCentral", "YishiModel", "YishiMerge", "YishiStore", "YishiSync",
                "YishiHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .target(
            name: "YishiStation",
            dependencies: [
                "YishiMerge", "YishiStore", "YishiSync", "YishiStationDesk", "YishiHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "yishi",
            dependencies: [
                "YishiModel", "YishiMerge", "YishiStore", "YishiDeliberation", "YishiSync", "YishiCentral", "YishiStation",
                "YishiDesk", "YishiStationDesk", "YishiOfficeDesk", "YishiPublicBoard", "YishiQRCode", "YishiPostgres", "YishiHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "yishi-bench",
            dependencies: [
                "YishiMerge", "YishiStore", "YishiSync", "YishiCentral", "YishiModel", "YishiDeliberation", "YishiDesk",
                "YishiStationDesk", "YishiOfficeDesk", "YishiPostgres", "YishiTrust",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite floor of the remote apply drives statements through the C API.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Random scenarios (replicas, edits, deliveries) and temporary folders, shared by the tests.
        .target(
            name: "YishiTestSupport",
            dependencies: ["YishiMerge", "YishiStore", "YishiTrust"],
            path: "Tests/YishiTestSupport"
        ),
        .testTarget(
            name: "YishiMergeTests",
            dependencies: [
                "YishiMerge", "YishiTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Golden")]
        ),
        .testTarget(
            name: "YishiTrustTests",
            dependencies: ["YishiTrust", "YishiMerge", "YishiTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "YishiStoreTests",
            dependencies: [
                "YishiStore", "YishiMerge", "YishiModel", "YishiTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "YishiSyncTests",
            dependencies: ["YishiSync", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "YishiModelTests",
            dependencies: ["YishiModel", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "YishiDeskTests",
            dependencies: ["YishiDesk", "YishiTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "YishiOfficeDeskTests",
            dependencies: ["YishiOfficeDesk", "YishiCentral", "YishiDeliberation", "YishiModel", "YishiMerge", "YishiStore", "YishiTestSupport"]
        ),
        .testTarget(
            name: "YishiPublicBoardTests",
            dependencies: ["YishiPublicBoard", "YishiModel", "YishiQRCode"]
        ),
        .testTarget(
            name: "YishiDeliberationTests",
            dependencies: ["YishiDeliberation", "YishiModel", "YishiStore", "YishiMerge", "YishiTestSupport",
                           .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "YishiPostgresTests",
            dependencies: ["YishiPostgres", "YishiCentral", "YishiSync", "YishiStore", "YishiMerge", "YishiTestSupport", "YishiTrust",
                           .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "YishiCommandTests",
            dependencies: ["yishi", "YishiStore", "YishiMerge", "YishiSync", "YishiCentral", "YishiTestSupport"],
            resources: [.copy("BadInput"), .copy("PreviousRelease")]
        ),
    ]
)
