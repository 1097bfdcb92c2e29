// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lode",
    products: [
        .executable(name: "lode", targets: ["lode"]),
        .library(name: "LodeScript", targets: ["LodeScript"]),
        .library(name: "LodeREPL", targets: ["LodeREPL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // The language: lexer, parser, interpreter, values, command registry, Session.
        .target(name: "LodeScript",
                // The interpreter's hot paths touch frame and global slots on every step;
                // the dynamic exclusivity checks on those class properties cost ~30%.
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // GNU readline through pkg-config (Debian: libreadline-dev).
        .systemLibrary(name: "CReadline", pkgConfig: "readline",
                       providers: [.apt(["libreadline-dev"])]),
        .target(name: "LodeREPL", dependencies: ["LodeScript", "CReadline"]),
        .executableTarget(
            name: "lode",
            dependencies: [
                "LodeScript", "LodeREPL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // libFuzzer target over parse + evaluate; see docs/language.md for the build command.
        .executableTarget(name: "LodeFuzz", dependencies: ["LodeScript"]),
        .testTarget(name: "LodeScriptTests", dependencies: ["LodeScript"]),
        .testTarget(name: "LodeREPLTests", dependencies: ["LodeREPL", "LodeScript"]),
    ],
    swiftLanguageModes: [.v5]
)
