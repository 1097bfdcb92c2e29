// swift-tools-version:6.0
// Lode: the layers follow DESIGN.md — system libraries, LodeTensor, the domain libraries
// (LodeNN, LodeGeo, LodeEval, LodePlot), the language (LodeScript + LodeLibrary), and the
// front ends (LodeREPL, LodeKernel) behind the `lode` executable.
import PackageDescription

let package = Package(
    name: "Lode",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lode", targets: ["lode"]),
        .library(name: "LodeTensor", targets: ["LodeTensor"]),
        .library(name: "LodeNN", targets: ["LodeNN"]),
        .library(name: "LodeGeo", targets: ["LodeGeo"]),
        .library(name: "LodeScript", targets: ["LodeScript"]),
        .library(name: "LodeEval", targets: ["LodeEval"]),
        .library(name: "LodePlot", targets: ["LodePlot"]),
        .library(name: "LodeLibrary", targets: ["LodeLibrary"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        // System libraries (module maps only).
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CGDAL", path: "Sources/CGDAL", pkgConfig: "gdal",
                       providers: [.apt(["libgdal-dev"])]),
        .systemLibrary(name: "CReadline", pkgConfig: "readline", providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev", "fonts-dejavu-core"])]),

        // Hot kernels compiled per instruction set and chosen at start from the CPU (no -target-cpu
        // anywhere, so the package runs on any x86-64 and builds for aarch64).
        .target(name: "CLodeKernels"),

        // Tensor core and domain libraries.
        .target(name: "LodeTensor", dependencies: ["COpenBLAS", "CLodeKernels"], exclude: ["README.md"]),
        .target(name: "LodeNN", dependencies: ["LodeTensor"]),
        .target(name: "LodeGeo", dependencies: ["CGDAL", "CLodeKernels", "LodeTensor"], exclude: ["README.md"]),
        // LodeEval evaluates models over stacks, so it may use LodeNN and LodeGeo (DESIGN.md arrows).
        .target(name: "LodeEval", dependencies: ["LodeTensor", "LodeNN", "LodeGeo"]),
        .target(name: "LodePlot", dependencies: ["CCairo"]),

        // The language and the front ends.
        .target(name: "LodeScript", swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // The command library: domain objects, commands, and the glue between the domain
        // libraries (Bridges/).
        .target(name: "LodeLibrary", dependencies: [
            "LodeScript", "LodeTensor", "LodeNN", "LodeGeo", "LodeEval", "LodePlot", "CGDAL",
        ]),
        .target(name: "LodeREPL", dependencies: ["LodeScript", "CReadline"]),
        .target(name: "LodeKernel", dependencies: [
            "CZeroMQ", "LodeScript", .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // The executable, and the fuzz target over parse + evaluate (`make fuzz`).
        .executableTarget(name: "LodeFuzz", dependencies: ["LodeScript"]),
        // The same over a full library session with the domain commands (`make fuzz`).
        .executableTarget(name: "LodeLibraryFuzz", dependencies: ["LodeLibrary", "LodeScript"]),
        .executableTarget(name: "lode", dependencies: [
            "LodeTensor", "LodeNN", "LodeGeo", "LodeEval", "LodePlot", "LodeLibrary", "LodeScript", "LodeREPL", "LodeKernel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests.
        .testTarget(name: "LodeTensorTests", dependencies: ["LodeTensor", "CLodeKernels"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LodeNNTests", dependencies: ["LodeNN", "LodeTensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LodeGeoTests", dependencies: ["LodeGeo", "LodeTensor", "CLodeKernels"], exclude: ["Fixtures"]),
        .testTarget(name: "LodeScriptTests", dependencies: ["LodeScript"]),
        .testTarget(name: "LodeREPLTests", dependencies: ["LodeREPL", "LodeScript"]),
        .testTarget(name: "LodeKernelTests", dependencies: ["LodeKernel", "CZeroMQ"]),
        .testTarget(name: "LodeEvalTests", dependencies: ["LodeEval", "LodeTensor", "LodeNN", "LodeGeo"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LodeLibraryTests", dependencies: [
            "LodeLibrary", "LodeScript", "LodeTensor", "LodeNN", "LodeGeo", "LodeEval", "LodePlot", "CCairo",
        ]),
        .testTarget(name: "LodePlotTests", dependencies: ["LodePlot", "CCairo"]),
    ],
    swiftLanguageModes: [.v5]
)
