import Foundation
import LodeEval
import LodeGeo
import LodeNN
import LodeScript
import LodeTensor

/// Deposit cells on a grid, for the commands.
enum Conversions {
    /// Row-major cell indices holding the points (points outside the grid are skipped).
    static func cells(_ points: PointLayer, on grid: GridSpec) -> [Int] {
        points.x.indices.compactMap { i in grid.cell(x: points.x[i], y: points.y[i]).map { $0.row * grid.cols + $0.col } }
    }
}
