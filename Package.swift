// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lode",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lode", targets: ["lode"]),
        .library(name: "LodeScript", targets: ["LodeScript"]),
        .library(name: "LodeREPL", targets: ["LodeREPL"]),
        .library(name: "LodeKernel", targets: ["LodeKernel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        // The language: lexer, parser, interpreter, values, command registry, Session.
        .target(name: "LodeScript"),
        // GNU readline through pkg-config (Debian: libreadline-dev).
        .systemLibrary(name: "CReadline", pkgConfig: "readline",
                       providers: [.apt(["libreadline-dev"])]),
        .target(name: "LodeREPL", dependencies: ["LodeScript", "CReadline"]),
        // libzmq through pkg-config (Debian: libzmq3-dev).
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq",
                       providers: [.apt(["libzmq3-dev"])]),
        // The Jupyter kernel: messaging protocol over ZeroMQ, serving a LodeScript Session.
        .target(
            name: "LodeKernel",
            dependencies: [
                "CZeroMQ", "LodeScript",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .executableTarget(
            name: "lode",
            dependencies: [
                "LodeScript", "LodeREPL", "LodeKernel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // libFuzzer target over parse + evaluate; see docs/language.md for the build command.
        .executableTarget(name: "LodeFuzz", dependencies: ["LodeScript"]),
        .testTarget(name: "LodeScriptTests", dependencies: ["LodeScript"]),
        .testTarget(name: "LodeREPLTests", dependencies: ["LodeREPL", "LodeScript"]),
        .testTarget(name: "LodeKernelTests", dependencies: ["LodeKernel", "CZeroMQ"]),
    ],
    swiftLanguageModes: [.v5]
)
