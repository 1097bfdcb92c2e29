// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lode",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "LodeGeo", targets: ["LodeGeo"]),
        .executable(name: "lode", targets: ["lode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // GDAL/OGR/OSR through pkg-config (Debian: libgdal-dev).
        .systemLibrary(
            name: "CGDAL",
            path: "Sources/CGDAL",
            pkgConfig: "gdal",
            providers: [.apt(["libgdal-dev"])]
        ),
        .target(
            name: "LodeGeo",
            dependencies: ["CGDAL"],
            exclude: ["README.md"],
            // The IDW kernel relies on AVX2 + FMA (every x86-64 server CPU since 2013; the
            // project's machines are AMD EPYC). Without it `addProduct` falls back to libm fmaf.
            swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux]))]
        ),
        .executableTarget(
            name: "lode",
            dependencies: [
                "LodeGeo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "LodeGeoTests",
            dependencies: ["LodeGeo"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
