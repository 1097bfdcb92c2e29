// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lode",
    products: [
        .library(name: "LodeEval", targets: ["LodeEval"]),
        .library(name: "LodePlot", targets: ["LodePlot"]),
    ],
    targets: [
        // Evaluation, prospectivity mapping, grading and SHAP: plain Swift, no tensor dependency,
        // so rasters are row-major [Float] and models are batched closures.
        .target(name: "LodeEval"),
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev", "fonts-dejavu-core"])]
        ),
        .target(name: "LodePlot", dependencies: ["CCairo"]),
        .testTarget(
            name: "LodeEvalTests",
            dependencies: ["LodeEval"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "LodePlotTests", dependencies: ["LodePlot", "CCairo"]),
    ],
    swiftLanguageModes: [.v5]
)
