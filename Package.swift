// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lode",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "LodeTensor", targets: ["LodeTensor"]),
        .library(name: "LodeNN", targets: ["LodeNN"]),
        .executable(name: "lode", targets: ["lode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(
            name: "LodeTensor",
            dependencies: ["COpenBLAS"],
            exclude: ["README.md"]
        ),
        .target(
            name: "LodeNN",
            dependencies: ["LodeTensor"]
        ),
        .executableTarget(
            name: "lode",
            dependencies: [
                "LodeTensor",
                "LodeNN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "LodeTensorTests",
            dependencies: ["LodeTensor"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LodeNNTests",
            dependencies: ["LodeNN", "LodeTensor"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
