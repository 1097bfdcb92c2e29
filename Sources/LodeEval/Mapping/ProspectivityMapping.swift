import Foundation
import LodeGeo

/// A batched model: `windows` holds `count` windows back to back (NCHW, Float32) and the
/// result holds `count` probabilities of class 1 (mineralised), one per window.
public typealias BatchModel = (_ windows: [Float], _ count: Int) throws -> [Float]

/// Reported after every batch of windows.
public struct MappingProgress: Sendable {
    public var windowsDone: Int
    public var windowsTotal: Int
    public var elapsedSeconds: Double
    public var fraction: Double { windowsTotal == 0 ? 1 : Double(windowsDone) / Double(windowsTotal) }
    /// Linear extrapolation of the time so far.
    public var estimatedRemainingSeconds: Double {
        windowsDone == 0 ? .nan : elapsedSeconds / Double(windowsDone) * Double(windowsTotal - windowsDone)
    }
}

/// Window centres along one axis: every `stride` cells from 0, plus the last cell, so every
/// cell lies between two centres (or on one).
func anchorPositions(length: Int, stride: Int) -> [Int] {
    var positions = Array(Swift.stride(from: 0, to: length, by: stride))
    if positions.last != length - 1 { positions.append(length - 1) }
    return positions
}

/// For each cell along an axis: the two neighbouring anchors (indices into `anchors`) and the
/// weight of the second.
func interpolationWeights(length: Int, anchors: [Int]) -> [(Int, Int, Float)] {
    var result: [(Int, Int, Float)] = []
    var k = 0
    for position in 0..<length {
        while k + 1 < anchors.count && anchors[k + 1] <= position { k += 1 }
        if k + 1 < anchors.count {
            let t = Float(position - anchors[k]) / Float(anchors[k + 1] - anchors[k])
            result.append((k, k + 1, t))
        } else {
            result.append((k, k, 0))
        }
    }
    return result
}

/// Prospectivity map by sliding windows: the model sees the window centred on every
/// `stride`-th cell (and the last row and column); cells in between get the bilinear blend
/// of the four surrounding window probabilities, so stride 1 is exact and larger strides trade
/// detail for speed. Cells that are NaN in any layer stay NaN. Windows are cut by LodeGeo's
/// `WindowCutter`, the cutter training uses, so border cells see the windows they would be
/// trained on. The map is a raster named "probability" on the stack's grid.
///
/// `workers` > 1 runs batches on that many threads; the model closure must then be safe to
/// call concurrently. `isCancelled` is checked before every batch; when it answers true the
/// mapping stops with an "interrupted" error.
public func predictMap(stack: RasterStack, windowSize: Int, stride: Int, expectedChannels: Int,
                       batchSize: Int = 256, workers: Int = 1, model: BatchModel,
                       progress: ((MappingProgress) -> Void)? = nil,
                       isCancelled: (() -> Bool)? = nil) throws -> Raster {
    let operation = "predict_map"
    let grid = stack.grid
    let layerCount = stack.count, rows = grid.rows, columns = grid.cols
    guard layerCount == expectedChannels else {
        throw EvalError(operation, "the stack has \(layerCount) layers but the model expects \(expectedChannels) input channels; build the stack from the same layers the model was trained on")
    }
    guard windowSize > 0 else { throw EvalError(operation, "windowSize is \(windowSize); it must be positive") }
    guard stride > 0 else { throw EvalError(operation, "stride is \(stride); it must be positive") }
    guard batchSize > 0 else { throw EvalError(operation, "batchSize is \(batchSize); it must be positive") }
    guard workers > 0 else { throw EvalError(operation, "workers is \(workers); it must be positive") }

    let anchorRows = anchorPositions(length: rows, stride: stride)
    let anchorColumns = anchorPositions(length: columns, stride: stride)
    let total = anchorRows.count * anchorColumns.count
    let windowLength = layerCount * windowSize * windowSize
    let batchCount = (total + batchSize - 1) / batchSize
    var anchorProbabilities = [Float](repeating: .nan, count: total)

    let lock = NSLock()
    let start = Date()
    var done = 0
    var firstError: Error?

    // One batch: extract its windows, run the model, store the probabilities.
    func runBatch(_ batch: Int) throws {
        let first = batch * batchSize, count = min(batchSize, total - first)
        var windows = [Float](repeating: 0, count: count * windowLength)
        windows.withUnsafeMutableBufferPointer { out in
            for k in 0..<count {
                let anchor = first + k
                let row = anchorRows[anchor / anchorColumns.count], column = anchorColumns[anchor % anchorColumns.count]
                for (l, layer) in stack.layers.enumerated() {
                    layer.values.withUnsafeBufferPointer { plane in
                        WindowCutter.cut(plane: plane, rows: rows, cols: columns, top: row - windowSize / 2,
                                         left: column - windowSize / 2, size: windowSize,
                                         into: out.baseAddress! + k * windowLength + l * windowSize * windowSize)
                    }
                }
            }
        }
        let probabilities = try model(windows, count)
        guard probabilities.count == count else {
            throw EvalError(operation, "the model returned \(probabilities.count) probabilities for a batch of \(count) windows")
        }
        lock.lock()
        for k in 0..<count { anchorProbabilities[first + k] = probabilities[k] }
        done += count
        let report = MappingProgress(windowsDone: done, windowsTotal: total, elapsedSeconds: Date().timeIntervalSince(start))
        lock.unlock()
        progress?(report)
    }

    func shouldStop() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return firstError != nil
    }
    func record(_ error: Error) {
        lock.lock()
        if firstError == nil { firstError = error }
        lock.unlock()
    }
    func worker(_ index: Int) {
        // Interleaved batches so every worker finishes at about the same time.
        for batch in Swift.stride(from: index, to: batchCount, by: workers) {
            if shouldStop() { return }
            if isCancelled?() == true {
                lock.lock()
                let finished = done
                lock.unlock()
                record(EvalError(operation, "interrupted after \(finished) of \(total) windows"))
                return
            }
            do { try runBatch(batch) } catch { record(error); return }
        }
    }
    if workers == 1 {
        worker(0)
    } else {
        DispatchQueue.concurrentPerform(iterations: min(workers, batchCount), execute: worker)
    }
    if let firstError { throw firstError }

    let rowWeights = interpolationWeights(length: rows, anchors: anchorRows)
    let columnWeights = interpolationWeights(length: columns, anchors: anchorColumns)
    let anchorsPerRow = anchorColumns.count
    var map = [Float](repeating: .nan, count: rows * columns)
    for r in 0..<rows {
        let (r0, r1, tr) = rowWeights[r]
        for c in 0..<columns {
            let cell = r * columns + c
            if stack.layers.contains(where: { $0.values[cell].isNaN }) { continue }
            let (c0, c1, tc) = columnWeights[c]
            let top = anchorProbabilities[r0 * anchorsPerRow + c0] * (1 - tc) + anchorProbabilities[r0 * anchorsPerRow + c1] * tc
            let bottom = anchorProbabilities[r1 * anchorsPerRow + c0] * (1 - tc) + anchorProbabilities[r1 * anchorsPerRow + c1] * tc
            map[cell] = top * (1 - tr) + bottom * tr
        }
    }
    return try Raster(grid: grid, name: "probability", values: map)
}
