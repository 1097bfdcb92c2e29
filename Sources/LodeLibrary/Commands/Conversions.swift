import Foundation
import LodeEval
import LodeGeo
import LodeNN
import LodeTensor

/// Glue between the domain modules' value types, used by the commands.
enum Conversions {
    static func windowDataset(_ data: Dataset) throws -> WindowDataset {
        try WindowDataset(values: data.windows, channels: data.channels, window: data.size, labels: data.labels)
    }

    static func batchModel(_ model: WindowClassifier) -> BatchModel {
        { windows, count in
            let c = model.config
            return try predictPositive(model, windows: try Tensor(shape: [count, c.inputChannels, c.window, c.window], scalars: windows))
        }
    }

    static func probabilities(_ model: WindowClassifier, _ data: Dataset) throws -> [Float] {
        guard data.count > 0 else { return [] }
        return try batchModel(model)(data.windows, data.count)
    }

    static func geoTransform(_ grid: GridSpec) throws -> GeoTransform { try GeoTransform(gdal: grid.geoTransform) }

    static func layerStack(_ stack: RasterStack) throws -> LayerStack {
        try LayerStack(values: stack.layers.flatMap(\.values), layers: stack.count, rows: stack.grid.rows, columns: stack.grid.cols,
                       geoTransform: try geoTransform(stack.grid), crs: stack.grid.crs?.description, layerNames: stack.names)
    }

    static func rasterGrid(_ raster: Raster) throws -> RasterGrid {
        try RasterGrid(values: raster.values, rows: raster.grid.rows, columns: raster.grid.cols,
                       geoTransform: try geoTransform(raster.grid), crs: raster.grid.crs?.description)
    }

    static func deposits(_ points: PointLayer) -> [Deposit] {
        let ids = points.ids
        return points.x.indices.map { Deposit(x: points.x[$0], y: points.y[$0], name: ids[$0]) }
    }

    /// Row-major cell indices holding the points (points outside the grid are skipped).
    static func cells(_ points: PointLayer, on grid: GridSpec) -> [Int] {
        points.x.indices.compactMap { i in grid.cell(x: points.x[i], y: points.y[i]).map { $0.row * grid.cols + $0.col } }
    }
}
