// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lode",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lode", targets: ["lode"]),
        .library(name: "LodeKernel", targets: ["LodeKernel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CZeroMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        .target(
            name: "LodeKernel",
            dependencies: [
                "CZeroMQ",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "lode",
            dependencies: [
                "LodeKernel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "LodeKernelTests",
            dependencies: ["LodeKernel", "CZeroMQ"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
