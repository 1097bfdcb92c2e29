import Foundation

/// The paper's data preparation on a survey, end to end: clean -> IDW (14 elements) -> log10 ->
/// z-score; faults -> distance -> ring scores -> z-score; 15-layer stack; K-means (k = 5) on Au;
/// negatives from the three lowest clusters away from faults and deposits; 32 x 32 windows;
/// augmentation to `perClass` windows per class.
public struct PreparedSurvey: Sendable {
    public var samples: SampleTable
    /// 14 element layers (log10, z-scored) then "fault_influence" (z-scored ring scores).
    public var stack: RasterStack
    public var faultDistance: Raster
    public var clusters: Raster
    public var negatives: PointLayer
    /// One window per known deposit and per negative.
    public var windows: Dataset
    public var augmented: Dataset
    /// (step, seconds) in order.
    public var timings: [(step: String, seconds: Double)]
}

public struct PreparationOptions: Sendable {
    public var windowSize: Int = 32
    public var perClass: Int = 2816
    public var clusters: Int = 5
    public var seed: UInt64 = 1
    public var negatives: NegativeSelection?

    public init(windowSize: Int = 32, perClass: Int = 2816, clusters: Int = 5, seed: UInt64 = 1, negatives: NegativeSelection? = nil) {
        self.windowSize = windowSize
        self.perClass = perClass
        self.clusters = clusters
        self.seed = seed
        self.negatives = negatives
    }
}

public enum SurveyPipeline {
    public static func prepare(_ survey: SyntheticSurvey, options: PreparationOptions = PreparationOptions(),
                               progress: ((String) -> Void)? = nil) throws -> PreparedSurvey {
        var timings: [(String, Double)] = []
        func timed<T>(_ step: String, _ body: () throws -> T) rethrows -> T {
            progress?(step)
            let start = Date()
            let value = try body()
            timings.append((step, Date().timeIntervalSince(start)))
            return value
        }
        let grid = survey.grid
        let samples = try timed("clean samples") { try survey.samples.cleaned(elements: SyntheticSurvey.elements) }
        let gridded = try timed("IDW 14 elements") { try IDW.interpolate(samples, onto: grid) }
        let geochemistry = try timed("log10 + z-score") { try gridded.mapped { try $0.log10Transformed().standardized() } }
        let distance = try timed("distance to faults") { try FaultDistance.raster(survey.faults, grid: grid) }
        let influence = try timed("ring buffer") { try RingBuffer().reclassified(distance).standardized() }
        let stack = try geochemistry.appending(influence)
        let clusters = try timed("K-means on Au") {
            try KMeans.cluster([stack.layer(named: "Au")], k: options.clusters, seed: options.seed).labels
        }
        let scale = min(1, survey.preset.width / 170_000)
        let selection = options.negatives ?? NegativeSelection(
            clusters: [0, 1, 2], count: survey.knownDeposits.count,
            minimumFaultDistance: max(1000, 2000 * scale.squareRoot()), minimumDepositDistance: max(2000, 3000 * scale.squareRoot()),
            minimumSpacing: max(1500, 5000 * scale.squareRoot()), edgeMargin: options.windowSize / 2 + 1, seed: options.seed)
        let negatives = try timed("negative selection") {
            try selection.select(clusterLabels: clusters, faultDistance: distance, deposits: survey.knownDeposits)
        }
        let sampler = WindowSampler(size: options.windowSize)
        let windows = try timed("windows") { try sampler.labelled(stack, positives: survey.knownDeposits, negatives: negatives) }
        let augmented = try timed("augmentation") {
            try Augmentation(perClass: options.perClass, seed: options.seed).augmented(windows, stack: stack)
        }
        return PreparedSurvey(samples: samples, stack: stack, faultDistance: distance, clusters: clusters, negatives: negatives,
                              windows: windows, augmented: augmented, timings: timings)
    }
}

extension SyntheticSurvey {
    /// Writes the survey for GIS use; returns the paths written. Files: samples.csv (X, Y, id and
    /// the raw element columns), samples.geojson, faults.geojson, faults.gpkg, known_deposits.geojson,
    /// hidden_deposits.geojson, geology.tif (lithology codes, see `lithologyNames`), and
    /// stack.tif when a stack is given.
    public func export(to directory: String, stack: RasterStack? = nil) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw GeoError("cannot create the folder: \(error.localizedDescription)", file: directory)
        }
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        var written: [String] = []
        try samples.write(to: path("samples.csv")); written.append(path("samples.csv"))
        try samples.write(to: path("samples.geojson")); written.append(path("samples.geojson"))
        try faults.write(to: path("faults.geojson")); written.append(path("faults.geojson"))
        try faults.write(to: path("faults.gpkg")); written.append(path("faults.gpkg"))
        try knownDeposits.write(to: path("known_deposits.geojson")); written.append(path("known_deposits.geojson"))
        try hiddenDeposits.write(to: path("hidden_deposits.geojson")); written.append(path("hidden_deposits.geojson"))
        var geology = Raster(grid: grid, name: "lithology", filledWith: 0)
        for r in 0..<grid.rows {
            for c in 0..<grid.cols { geology[r, c] = Float(lithology(x: grid.centreX(col: c), y: grid.centreY(row: r))) }
        }
        try GeoTIFF.write(geology, to: path("geology.tif")); written.append(path("geology.tif"))
        if let stack { try GeoTIFF.write(stack, to: path("stack.tif")); written.append(path("stack.tif")) }
        return written
    }
}
