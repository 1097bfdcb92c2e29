import CLodeKernels
import Dispatch
import Foundation
import LodeTensor

/// Global power-2 IDW of many elements at once, the paper's interpolation and the hot spot of
/// data preparation (7 326 samples x ~2.9 M cells x 14 elements).
///
/// Why it is shaped this way:
/// - Power 2 needs no square root and no `pow`: w = 1 / (dx^2 + dy^2).
/// - Coordinates are cell-local Float (cell (r, c) centre at (c, r)), so Float keeps centimetre
///   precision whatever the map coordinates are.
/// - Eight neighbouring cells go through the point loop together in SIMD lanes, and one weight
///   serves every element: values are packed 16 per point ("slots"), slot 0 of the first pack
///   being the constant 1 so the weight sum is just another accumulator.
/// - Sums are blocked (partial sums of `blockLength` points, then totals) to keep Float rounding
///   near that of the block, not of all 7 326 terms.
/// - Missing values are packed as 0 and their weights subtracted from that element's weight sum
///   afterwards; where that subtraction would lose precision the cell is redone in Double.
/// - Rows are spread over the cores with `concurrentPerform`.
enum GlobalIDWKernel {
    typealias Lanes = SIMD8<Float>
    static let blockLength = 512
    static let nearZero: Float = 1e-20

    static func run(x: [Double], y: [Double], columns: [[Double]], grid: GridSpec) throws -> [[Float]] {
        // The output and the per-element copies returned: two values per cell and element.
        try MemoryBudget.require(elements: 2 * Double(columns.count) * Double(grid.rows) * Double(grid.cols),
                                 what: "idw onto a grid of \(grid.rows)×\(grid.cols) cells × \(columns.count) elements",
                                 change: "use a larger cell size or fewer elements")
        let elementCount = columns.count
        let present = x.indices.filter { i in columns.contains { !$0[i].isNaN } }
        let pointCount = present.count
        // u = whole + fraction, both exact in Float, so dx = (c - whole) - fraction keeps ~1e-7 cells.
        let uDouble = present.map { (x[$0] - grid.west) / grid.cellSize - 0.5 }
        let vDouble = present.map { (grid.north - y[$0]) / grid.cellSize - 0.5 }
        let uWhole = uDouble.map { Float($0.rounded(.down)) }
        let uFraction = uDouble.map { Float($0 - $0.rounded(.down)) }
        let u = uDouble.map { Float($0) }
        let v = vDouble.map { Float($0) }
        let slots = elementCount + 1
        let groups = (slots + 15) / 16
        // packed[g][p * 16 + s]: slot s of pack g for point p.
        var packed = [[Float]](repeating: [Float](repeating: 0, count: pointCount * 16), count: groups)
        var missing = [[Int]](repeating: [], count: elementCount)
        for (p, i) in present.enumerated() {
            packed[0][p * 16] = 1
            for e in 0..<elementCount {
                let slot = e + 1
                let value = columns[e][i]
                if value.isNaN {
                    missing[e].append(p)
                } else {
                    packed[slot / 16][p * 16 + slot % 16] = Float(value)
                }
            }
        }
        let rows = grid.rows, cols = grid.cols
        let output = UnsafeMutablePointer<Float>.allocate(capacity: elementCount * rows * cols)
        defer { output.deallocate() }
        let presentX = present.map { x[$0] }, presentY = present.map { y[$0] }

        // Stable copies for the worker threads (nothing here is mutated while they run).
        let packedPointers = packed.map { values -> UnsafeMutablePointer<Float> in
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(values.count, 1))
            pointer.initialize(from: values, count: values.count)
            return pointer
        }
        defer { packedPointers.forEach { $0.deallocate() } }
        let wholePointer = UnsafeMutablePointer<Float>.allocate(capacity: max(pointCount, 1))
        let fractionPointer = UnsafeMutablePointer<Float>.allocate(capacity: max(pointCount, 1))
        wholePointer.initialize(from: uWhole, count: pointCount)
        fractionPointer.initialize(from: uFraction, count: pointCount)
        defer { wholePointer.deallocate(); fractionPointer.deallocate() }
        do {
            do {
                let costPerRow = Double(cols) * Double(pointCount) * Double(groups)
                try WorkMonitor.concurrentBatches(count: rows, costPerItem: costPerRow,
                                                  what: "idw: \(elementCount) elements onto \(rows)×\(cols)") { row in
                    let dy2 = UnsafeMutablePointer<Float>.allocate(capacity: max(pointCount, 1))
                    defer { dy2.deallocate() }
                    for p in 0..<pointCount {
                        let dy = Float(vDouble[p] - Double(row))
                        dy2[p] = dy * dy
                    }
                    let totals = UnsafeMutablePointer<Lanes>.allocate(capacity: groups * 16)
                    defer { totals.deallocate() }
                    var c0 = 0
                    while c0 < cols {
                        let cx = Lanes(0, 1, 2, 3, 4, 5, 6, 7) + Lanes(repeating: Float(c0))
                        totals.initialize(repeating: Lanes(), count: groups * 16)
                        var start = 0
                        while start < pointCount {
                            let end = min(pointCount, start + blockLength)
                            for g in 0..<groups {
                                accumulate(whole: wholePointer, fraction: fractionPointer, dy2: dy2, packed: packedPointers[g],
                                           range: start..<end, cx: cx, totals: totals + g * 16)
                            }
                            start = end
                        }
                        for lane in 0..<min(8, cols - c0) {
                            let col = c0 + lane
                            let cell = row * cols + col
                            let weightSum = totals[0][lane]
                            for e in 0..<elementCount {
                                let slot = e + 1
                                let numerator = totals[slot][lane]
                                var denominator = weightSum
                                if !missing[e].isEmpty {
                                    var removed: Float = 0
                                    for p in missing[e] {
                                        let dx = (Float(col) - wholePointer[p]) - fractionPointer[p]
                                        removed += 1 / max(dx * dx + dy2[p], nearZero)
                                    }
                                    denominator -= removed
                                    if !(denominator > 0.5 * weightSum) {
                                        output[e * rows * cols + cell] = Float(exactCell(
                                            x: grid.centreX(col: col), y: grid.centreY(row: row),
                                            px: presentX, py: presentY, column: present.map { columns[e][$0] }))
                                        continue
                                    }
                                }
                                output[e * rows * cols + cell] = numerator / denominator
                            }
                        }
                        c0 += 8
                    }
                }
            }
        }
        var result = (0..<elementCount).map { e in Array(UnsafeBufferPointer(start: output + e * rows * cols, count: rows * cols)) }
        overrideCoincidentCells(&result, u: u, v: v, present: present, columns: columns, grid: grid)
        return result
    }

    /// The hot loop: sixteen accumulators (one pack of slots) for eight cells, one division per
    /// point. It lives in CLodeKernels, compiled per instruction set (fused multiply-add on AVX2
    /// and AVX-512) and chosen at start, so this target needs no -target-cpu flag.
    @inline(__always)
    static func accumulate(whole: UnsafePointer<Float>, fraction: UnsafePointer<Float>, dy2: UnsafePointer<Float>,
                           packed: UnsafePointer<Float>, range: Range<Int>, cx: Lanes, totals: UnsafeMutablePointer<Lanes>) {
        let slots = UnsafeMutableRawPointer(totals).assumingMemoryBound(to: Float.self)
        lode_idw_accumulate(whole, fraction, dy2, packed, range.lowerBound, range.upperBound, cx[0], slots, nearZero)
    }

    /// One cell in Double over the samples that have the element.
    static func exactCell(x: Double, y: Double, px: [Double], py: [Double], column: [Double]) -> Double {
        var numerator = 0.0, denominator = 0.0, exactSum = 0.0, exactCount = 0.0
        for i in column.indices where !column[i].isNaN {
            let dx = px[i] - x, dy = py[i] - y
            let d2 = dx * dx + dy * dy
            if d2 == 0 { exactSum += column[i]; exactCount += 1; continue }
            numerator += column[i] / d2
            denominator += 1 / d2
        }
        return exactCount > 0 ? exactSum / exactCount : numerator / denominator
    }

    /// Cells whose centre is a sample location take the mean of those samples (IDW's limit there).
    static func overrideCoincidentCells(_ result: inout [[Float]], u: [Float], v: [Float], present: [Int],
                                        columns: [[Double]], grid: GridSpec) {
        var byCell: [Int: [Int]] = [:]
        for p in u.indices where u[p] == u[p].rounded() && v[p] == v[p].rounded() {
            let col = Int(u[p]), row = Int(v[p])
            guard row >= 0, row < grid.rows, col >= 0, col < grid.cols else { continue }
            byCell[row * grid.cols + col, default: []].append(present[p])
        }
        for (cell, samples) in byCell {
            for e in columns.indices {
                let values = samples.map { columns[e][$0] }.filter { !$0.isNaN }
                if !values.isEmpty { result[e][cell] = Float(values.reduce(0, +) / Double(values.count)) }
            }
        }
    }
}
