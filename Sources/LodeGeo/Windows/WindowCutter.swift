/// The one window cutter of Lode: training windows (`WindowSampler`, augmentation shifts) and
/// mapping windows (LodeEval's `predictMap`) are cut here, so a cell near the map's edge gets
/// the same window whether it is a training point or a mapped cell.
///
/// Centre convention: the window of cell (r, c) covers rows r - size/2 ..< r - size/2 + size
/// (integer division), and the same for columns: the cell sits at index size/2 of its window.
///
/// Edge rule: reflect. Rows and columns beyond the grid mirror it at its edge without repeating
/// the edge cell (index -1 reads 1, index n reads n - 2), like NumPy's "reflect" padding; a
/// window larger than the grid keeps bouncing. Missing cells (NaN) are written as 0, the mean of
/// a z-scored layer, so a window touching the area's outline still gives numbers.
public enum WindowCutter {
    /// The grid index read for position `i` on an axis of `n` cells under the edge rule.
    @inline(__always)
    public static func reflected(_ i: Int, _ n: Int) -> Int {
        if n == 1 { return 0 }
        var j = i
        while j < 0 || j >= n { j = j < 0 ? -j : 2 * n - 2 - j }
        return j
    }

    /// Writes the size x size window of one plane (row-major, rows x cols) whose top-left cell
    /// is (top, left) to `out[0 ..< size * size]`.
    public static func cut(plane: UnsafeBufferPointer<Float>, rows: Int, cols: Int, top: Int, left: Int, size: Int,
                           into out: UnsafeMutablePointer<Float>) {
        let inside = top >= 0 && left >= 0 && top + size <= rows && left + size <= cols
        var k = 0
        if inside {
            // Fast path: one contiguous run per window row.
            for i in 0..<size {
                let rowStart = (top + i) * cols + left
                for j in 0..<size {
                    let v = plane[rowStart + j]
                    out[k] = v.isNaN ? 0 : v
                    k += 1
                }
            }
            return
        }
        let colIndex = (0..<size).map { reflected(left + $0, cols) }
        for i in 0..<size {
            let rowStart = reflected(top + i, rows) * cols
            for j in 0..<size {
                let v = plane[rowStart + colIndex[j]]
                out[k] = v.isNaN ? 0 : v
                k += 1
            }
        }
    }

    /// The window centred (index size/2) on cell (row, col) of every plane, plane after plane.
    public static func cut(planes: [UnsafeBufferPointer<Float>], rows: Int, cols: Int, row: Int, col: Int, size: Int,
                           into out: UnsafeMutablePointer<Float>) {
        let top = row - size / 2, left = col - size / 2
        for (p, plane) in planes.enumerated() {
            cut(plane: plane, rows: rows, cols: cols, top: top, left: left, size: size, into: out + p * size * size)
        }
    }
}
