import Dispatch
import Foundation
import LodeTensor

/// Index transforms of a square window (per channel). `rotated90` turns counter-clockwise:
/// out[i][j] = in[j][size-1-i]; `flippedLeftRight`: out[i][j] = in[i][size-1-j].
public enum WindowTransform {
    public static func rotated90(_ window: ArraySlice<Float>, channels: Int, size: Int) -> [Float] {
        remapped(window, channels: channels, size: size) { i, j in j * size + (size - 1 - i) }
    }

    public static func flippedLeftRight(_ window: ArraySlice<Float>, channels: Int, size: Int) -> [Float] {
        remapped(window, channels: channels, size: size) { i, j in i * size + (size - 1 - j) }
    }

    /// out[i][j] = in[source(i, j)] in every channel.
    static func remapped(_ window: ArraySlice<Float>, channels: Int, size: Int, source: (Int, Int) -> Int) -> [Float] {
        var map = [Int](repeating: 0, count: size * size)
        for i in 0..<size { for j in 0..<size { map[i * size + j] = source(i, j) } }
        var out = [Float](repeating: 0, count: window.count)
        let base = window.startIndex
        for ch in 0..<channels {
            let o = ch * size * size
            for k in 0..<(size * size) { out[o + k] = window[base + o + map[k]] }
        }
        return out
    }

    /// Element d of the dihedral group: d % 4 quarter turns, then a left-right flip when d >= 4
    /// (computed in one pass through the index map of that composition).
    public static func dihedral(_ d: Int, _ window: ArraySlice<Float>, channels: Int, size: Int) -> [Float] {
        // Source (row, col) of output (i, j): undo the flip, then undo the quarter turns, each of
        // which reads out[i][j] = in[j][size-1-i].
        return remapped(window, channels: channels, size: size) { i, j in
            var r = i, c = d >= 4 ? size - 1 - j : j
            for _ in 0..<(d % 4) { (r, c) = (c, size - 1 - r) }
            return r * size + c
        }
    }
}

/// Grows each class to `perClass` windows (the paper: 2 816) with rotations, flips, small shifts
/// and Gaussian noise. The originals are kept; copy j of a class comes from original j mod n, so
/// originals are used evenly. Every copy keeps its source id and centre. Seeded.
public struct Augmentation: Sendable {
    public var perClass: Int = 2816
    public var rotations: Bool = true
    public var flips: Bool = true
    /// Standard deviation of added noise, in layer units (z units after standardising).
    public var noiseStandardDeviation: Float = 0.05
    /// Shifts of up to this many cells in each direction, re-cut from the stack (needs the stack).
    public var maximumShift: Int = 2
    public var seed: UInt64 = 0

    public init(perClass: Int = 2816, rotations: Bool = true, flips: Bool = true, noiseStandardDeviation: Float = 0.05,
                maximumShift: Int = 2, seed: UInt64 = 0) {
        self.perClass = perClass
        self.rotations = rotations
        self.flips = flips
        self.noiseStandardDeviation = noiseStandardDeviation
        self.maximumShift = maximumShift
        self.seed = seed
    }

    public func augmented(_ data: Dataset, stack: RasterStack? = nil) throws -> Dataset {
        guard perClass >= 1 else { throw GeoError("augmentation needs at least 1 window per class, got \(perClass)") }
        var random = RandomStream(seed: seed, skipping: 1)
        var result = data.subset(Array(0..<data.count))
        let sampler = WindowSampler(size: data.size, edge: .reflect)
        let dihedralChoices = (0..<8).filter { d in (rotations || d % 4 == 0) && (flips || d < 4) }
        let labels = Set(data.labels).sorted()
        try MemoryBudget.require(elements: Double(perClass) * Double(labels.count) * Double(data.windowLength),
                                 what: "\(labels.count) classes × \(perClass) augmented windows of \(data.channels)×\(data.size)×\(data.size)",
                                 change: "use a smaller per_class")
        for (position, label) in labels.enumerated() {
            let originals = (0..<data.count).filter { data.labels[$0] == label }
            let copies = perClass - originals.count
            guard copies > 0 else { continue }
            // Copy j draws from its own generator (derived from the seed, the label and j), so
            // the copies can be made on both cores and still come out the same every time.
            let length = data.windowLength
            var values = [Float](repeating: 0, count: copies * length)
            let base = random.derived(UInt64(label + 1))
            // Each class is its share of the progress; batches stop within a moment of an interrupt.
            let span = Double(position) / Double(labels.count)...Double(position + 1) / Double(labels.count)
            try values.withUnsafeMutableBufferPointer { output in
                let output = output
                try WorkMonitor.concurrentBatches(count: copies, costPerItem: Double(length) * 20, what: "augment", span: span) { j in
                    var copyRandom = base.derived(UInt64(j))
                    let source = originals[j % originals.count]
                    var window: [Float]
                    if let stack, maximumShift > 0, let cell = stack.grid.cell(x: data.centreX[source], y: data.centreY[source]) {
                        let dr = copyRandom.index(below: 2 * maximumShift + 1) - maximumShift
                        let dc = copyRandom.index(below: 2 * maximumShift + 1) - maximumShift
                        window = []
                        window.reserveCapacity(length)
                        sampler.cut(stack, top: cell.row + dr - data.size / 2, left: cell.col + dc - data.size / 2, into: &window)
                    } else {
                        window = Array(data.window(source))
                    }
                    let d = dihedralChoices[copyRandom.index(below: dihedralChoices.count)]
                    window = WindowTransform.dihedral(d, window[...], channels: data.channels, size: data.size)
                    for k in 0..<length {
                        let noise = noiseStandardDeviation > 0 ? noiseStandardDeviation * Float(copyRandom.gaussian()) : 0
                        output[j * length + k] = window[k] + noise
                    }
                }
            }
            let copyData = try Dataset(windows: values, count: copies, channels: data.channels, size: data.size,
                                       labels: Array(repeating: label, count: copies),
                                       sourceIDs: (0..<copies).map { data.sourceIDs[originals[$0 % originals.count]] },
                                       centreX: (0..<copies).map { data.centreX[originals[$0 % originals.count]] },
                                       centreY: (0..<copies).map { data.centreY[originals[$0 % originals.count]] },
                                       layerNames: data.layerNames)
            result = try result.merged(with: copyData)
        }
        return result
    }
}
