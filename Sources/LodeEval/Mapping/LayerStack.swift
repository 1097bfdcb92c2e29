import LodeGeo

/// A batched model: `windows` holds `count` windows back to back (NCHW, Float32) and the
/// result holds `count` probabilities of class 1 (mineralised), one per window.
public typealias BatchModel = (_ windows: [Float], _ count: Int) throws -> [Float]

/// The evidence layers of an area as one array: layer-major, then row-major (CHW).
/// NaN marks cells outside the surveyed area.
public struct LayerStack: Sendable {
    public var values: [Float]
    public var layers: Int
    public var rows: Int
    public var columns: Int
    public var geoTransform: GeoTransform
    public var crs: String?
    public var layerNames: [String]

    public init(values: [Float], layers: Int, rows: Int, columns: Int, geoTransform: GeoTransform = .pixels,
                crs: String? = nil, layerNames: [String]? = nil) throws {
        guard layers > 0, rows > 0, columns > 0 else {
            throw EvalError("stack", "layers (\(layers)), rows (\(rows)) and columns (\(columns)) must be positive")
        }
        guard values.count == layers * rows * columns else {
            throw EvalError("stack", "\(values.count) values do not fill \(layers) layers x \(rows) rows x \(columns) columns")
        }
        let names = layerNames ?? (1...layers).map { "layer \($0)" }
        guard names.count == layers else {
            throw EvalError("stack", "\(names.count) layer names for \(layers) layers")
        }
        self.values = values
        self.layers = layers
        self.rows = rows
        self.columns = columns
        self.geoTransform = geoTransform
        self.crs = crs
        self.layerNames = names
    }

    /// Copies the window of `size` x `size` cells whose centre cell (index size / 2 in each
    /// direction) is (row, column) into `out` at `offset`, cut by LodeGeo's `WindowCutter`: the
    /// same edge rule (reflect) and NaN-as-0 as training windows, so a border cell is mapped from
    /// the window it would have been trained on.
    func copyWindow(row: Int, column: Int, size: Int, into out: inout [Float], at offset: Int) {
        let plane = rows * columns
        values.withUnsafeBufferPointer { all in
            out.withUnsafeMutableBufferPointer { buffer in
                for layer in 0..<layers {
                    let source = UnsafeBufferPointer(rebasing: all[(layer * plane)..<((layer + 1) * plane)])
                    WindowCutter.cut(plane: source, rows: rows, cols: columns, top: row - size / 2, left: column - size / 2,
                                     size: size, into: buffer.baseAddress! + offset + layer * size * size)
                }
            }
        }
    }
}
