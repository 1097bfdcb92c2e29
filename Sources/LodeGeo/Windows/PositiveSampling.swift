import Foundation
import LodeTensor

/// Positives from every cell within a radius of each deposit: windows centred on different
/// cells around the deposit (jittered windows, each a real cut of the stack), rather than copies
/// of the one window centred on it.
///
/// A deposit is a zone, not a point: its halo and structure spread over hundreds of metres, and
/// the point in a catalogue is one place in it. Training on every nearby cell teaches the model
/// the neighbourhood of a deposit (and a map that is smooth around it) instead of one exact
/// window, which eleven deposits' rotated copies let a network memorise. Every cell keeps its
/// deposit's id, so grouped splits and spatial folds hold all of a deposit's cells out together.
public struct PositiveSampling: Sendable {
    /// Cells whose centre is within this distance of the deposit's cell centre (map units).
    public var radius: Double = 300
    /// At most this many cells per deposit: the deposit's own cell, then a seeded random choice
    /// of the others.
    public var perDeposit: Int = 25
    /// Cells closer than this many cells to the grid edge are not used.
    public var edgeMargin: Int = 17
    public var seed: UInt64 = 0

    public init(radius: Double = 300, perDeposit: Int = 25, edgeMargin: Int = 17, seed: UInt64 = 0) {
        self.radius = radius
        self.perDeposit = perDeposit
        self.edgeMargin = edgeMargin
        self.seed = seed
    }

    /// The cells around each deposit where every layer of `stack` has a value.
    public func select(from stack: RasterStack, deposits: PointLayer) throws -> PointLayer {
        try select(grid: stack.grid, valid: CellDraw.validCells(stack), deposits: deposits)
    }

    /// - Returns: one point per chosen cell centre, deposit by deposit (its own cell first); the
    ///   `id` column is the deposit's id, `offset` the distance from the deposit's cell in metres.
    ///   A cell within the radius of two deposits belongs to the nearer one, so no cell is used twice.
    public func select(grid: GridSpec, valid: [Bool], deposits: PointLayer) throws -> PointLayer {
        guard radius >= 0, radius.isFinite else { throw GeoError("the radius around deposits must be a distance of 0 metres or more, got \(radius)") }
        guard perDeposit >= 1 else { throw GeoError("at least one cell per deposit is needed, got \(perDeposit)") }
        guard edgeMargin >= 0 else { throw GeoError("the edge margin must be 0 cells or more, got \(edgeMargin)") }
        guard valid.count == grid.cellCount else { throw GeoError("\(valid.count) validity flags for a grid of \(grid.cellCount) cells") }
        guard deposits.count > 0 else { throw GeoError("there are no deposits to take positive cells around", file: deposits.source) }
        let known = try deposits.aligned(to: grid)
        let ids = known.ids
        let reach = Int((radius / grid.cellSize).rounded(.down))
        func usable(_ r: Int, _ c: Int) -> Bool {
            r >= edgeMargin && c >= edgeMargin && r < grid.rows - edgeMargin && c < grid.cols - edgeMargin && valid[r * grid.cols + c]
        }
        // Each cell within reach of a deposit goes to the nearest deposit cell (ties: the first).
        var owner: [Int: (deposit: Int, distance: Double)] = [:]
        var centres: [(row: Int, col: Int)?] = []
        for i in 0..<known.count {
            guard let cell = grid.cell(x: known.x[i], y: known.y[i]) else {
                WorkMonitor.warn("deposit '\(ids[i])' at (\(known.x[i]), \(known.y[i])) is outside the grid; it gives no positive cells")
                centres.append(nil)
                continue
            }
            centres.append(cell)
            for r in max(0, cell.row - reach)...min(grid.rows - 1, cell.row + reach) {
                for c in max(0, cell.col - reach)...min(grid.cols - 1, cell.col + reach) {
                    let dr = Double(r - cell.row), dc = Double(c - cell.col)
                    let distance = (dr * dr + dc * dc).squareRoot() * grid.cellSize
                    guard distance <= radius + 1e-9 * grid.cellSize, usable(r, c) else { continue }
                    let key = r * grid.cols + c
                    if let current = owner[key], current.distance <= distance { continue }
                    owner[key] = (i, distance)
                }
            }
        }
        var byDeposit = [[(cell: Int, distance: Double)]](repeating: [], count: known.count)
        for (cell, o) in owner { byDeposit[o.deposit].append((cell, o.distance)) }
        var random = RandomStream(seed: seed)
        var xs: [Double] = [], ys: [Double] = [], pointIDs: [String] = [], offsets: [String] = []
        for i in 0..<known.count {
            // A fixed order before the draw, so the same seed gives the same cells.
            let cells = byDeposit[i].sorted { ($0.distance, $0.cell) < ($1.distance, $1.cell) }
            guard let first = cells.first else {
                if centres[i] != nil {
                    WorkMonitor.warn("deposit '\(ids[i])' has no usable cell within \(CellDraw.metres(radius)) (too near the grid edge, outside the surveyed area, or every cell nearer another deposit); it gives no positive cells")
                }
                continue
            }
            let chosen = [first] + CellDraw.sample(Array(cells.dropFirst()), count: perDeposit - 1, random: &random)
            for pick in chosen {
                xs.append(grid.centreX(col: pick.cell % grid.cols))
                ys.append(grid.centreY(row: pick.cell / grid.cols))
                pointIDs.append(ids[i])
                offsets.append(String(format: "%.1f", pick.distance))
            }
        }
        guard !xs.isEmpty else {
            throw GeoError("no deposit has a usable cell within \(CellDraw.metres(radius))", file: deposits.source,
                           hint: "the deposits may lie outside the surveyed area or within \(edgeMargin) cells of the grid edge")
        }
        return try PointLayer(x: xs, y: ys, columnNames: ["id", "offset"], columns: [pointIDs, offsets], crs: grid.crs,
                              source: "cells around deposits (\(deposits.source))", idColumn: "id")
    }
}
