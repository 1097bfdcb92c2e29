import Foundation
import LodeGeo
import LodeScript

/// One gridded layer. Arithmetic with numbers or another raster on the same grid works cell by
/// cell (raster algebra: `log10(geo["Au"]) - 1`); NaN marks missing cells and stays NaN.
public final class RasterObject: OperatorOverloadable, WarningCarrier {
    /// The warnings given while this value was made (also shown on stderr).
    public var warnings: [String] = []
    public let raster: Raster
    public init(_ raster: Raster) { self.raster = raster }

    public var typeName: String { "raster" }
    public var summary: String {
        let valid = raster.validValues
        let range = valid.isEmpty ? "no valid cells"
            : String(format: "range %.4g…%.4g", Double(valid.min() ?? .nan), Double(valid.max() ?? .nan))
        return "raster \"\(raster.name)\" \(raster.grid.rows)×\(raster.grid.cols), \(range)"
    }
    public var memberNames: [String] { ["name", "rows", "cols", "grid", "min", "max", "mean", "values", "valid", "warnings"] }

    public func member(_ name: String) throws -> LodeValue? {
        let valid = raster.validValues
        switch name {
        case "name": return .string(raster.name)
        case "rows": return .number(Double(raster.grid.rows))
        case "cols": return .number(Double(raster.grid.cols))
        case "grid": return .object(GridObject(raster.grid))
        case "min": return .number(Double(valid.min() ?? .nan))
        case "max": return .number(Double(valid.max() ?? .nan))
        case "mean": return .number(valid.isEmpty ? .nan : valid.reduce(0.0) { $0 + Double($1) } / Double(valid.count))
        case "values": return .list(raster.values.map { .number(Double($0)) })
        case "valid": return .number(Double(valid.count))
        case "warnings": return .list(warnings.map { .string($0) })
        default: return nil
        }
    }

    /// `r[row, col]` is written `r[[row, col]]`; a single number indexes the row-major cells.
    public func index(_ key: LodeValue) throws -> LodeValue? {
        var cell: Int
        switch key {
        case .number(let n) where n == n.rounded(): cell = Int(n)
        case .list(let pair) where pair.count == 2:
            guard let r = pair[0].numberValue, let c = pair[1].numberValue else { return nil }
            guard Int(r) >= 0, Int(r) < raster.grid.rows, Int(c) >= 0, Int(c) < raster.grid.cols else {
                throw LodeError(.index, "cell [\(Int(r)), \(Int(c))] is outside the \(raster.grid.rows)×\(raster.grid.cols) raster")
            }
            cell = Int(r) * raster.grid.cols + Int(c)
        default: return nil
        }
        guard raster.values.indices.contains(cell) else {
            throw LodeError(.index, "cell \(cell) is out of range for a raster of \(raster.values.count) cells")
        }
        return .number(Double(raster.values[cell]))
    }

    public func binary(_ op: BinaryOperator, _ other: LodeValue, selfIsLeft: Bool) throws -> LodeValue? {
        let combine: (Float, Float) -> Float
        switch op {
        case .add: combine = (+)
        case .subtract: combine = (-)
        case .multiply: combine = (*)
        case .divide: combine = { $1 == 0 ? .nan : $0 / $1 }
        case .power: combine = { Foundation.powf($0, $1) }
        case .greater: combine = { $0.isNaN || $1.isNaN ? .nan : ($0 > $1 ? 1 : 0) }
        case .greaterEqual: combine = { $0.isNaN || $1.isNaN ? .nan : ($0 >= $1 ? 1 : 0) }
        case .less: combine = { $0.isNaN || $1.isNaN ? .nan : ($0 < $1 ? 1 : 0) }
        case .lessEqual: combine = { $0.isNaN || $1.isNaN ? .nan : ($0 <= $1 ? 1 : 0) }
        default: return nil
        }
        let values: [Float]
        switch other {
        case .number(let number):
            if op == .divide, number == 0, selfIsLeft {
                throw LodeError(.arithmetic, "dividing raster '\(raster.name)' by zero would make every cell missing",
                                hint: "divide by a non-zero number, or mask cells first")
            }
            let s = Float(number)
            values = raster.values.map { selfIsLeft ? combine($0, s) : combine(s, $0) }
        case .object(let object as RasterObject):
            let g = raster.grid, h = object.raster.grid
            guard g.rows == h.rows, g.cols == h.cols, g.cellSize == h.cellSize,
                  abs(g.west - h.west) < 1e-6 * g.cellSize, abs(g.north - h.north) < 1e-6 * g.cellSize else {
                throw LodeError(.type, "rasters '\(raster.name)' (\(g)) and '\(object.raster.name)' (\(h)) are on different grids",
                                hint: "interpolate both onto the same grid()")
            }
            let (a, b) = selfIsLeft ? (raster.values, object.raster.values) : (object.raster.values, raster.values)
            values = zip(a, b).map { combine($0, $1) }
        default:
            return nil
        }
        // A division that turns every valid cell missing is a mistake, not a result to pass on.
        if op == .divide, values.allSatisfy({ $0.isNaN }), raster.values.contains(where: { !$0.isNaN }) {
            throw LodeError(.arithmetic, "the division of raster '\(raster.name)' leaves no valid cells (every divisor is zero or missing)",
                            hint: "check the divisor layer: its valid cells are all zero")
        }
        return .object(RasterObject(try Raster(grid: raster.grid, name: raster.name, values: values)))
    }

    public func unary(_ op: UnaryOperator) throws -> LodeValue? {
        op == .negate ? .object(RasterObject(try Raster(grid: raster.grid, name: raster.name, values: raster.values.map { -$0 }))) : .object(self)
    }
}

/// Named layers on one grid (the channels of every window cut from it). `stack["Au"]` is a
/// layer; `stack[0]` the first.
public final class StackObject: LodeObject, WarningCarrier {
    /// The warnings given while this value was made (also shown on stderr).
    public var warnings: [String] = []
    public let stack: RasterStack
    public init(_ stack: RasterStack) { self.stack = stack }

    public var typeName: String { "stack" }
    public var summary: String {
        let names = stack.names.count > 8 ? stack.names.prefix(8).joined(separator: ", ") + ", …" : stack.names.joined(separator: ", ")
        return "stack of \(stack.count) layers \(stack.grid.rows)×\(stack.grid.cols) (\(names))"
    }
    public var memberNames: [String] { ["names", "count", "grid", "layers", "warnings"] }

    public func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "names": return .list(stack.names.map { .string($0) })
        case "count": return .number(Double(stack.count))
        case "grid": return .object(GridObject(stack.grid))
        case "layers": return .list(stack.layers.map { .object(RasterObject($0)) })
        case "warnings": return .list(warnings.map { .string($0) })
        default: return nil
        }
    }

    public func index(_ key: LodeValue) throws -> LodeValue? {
        switch key {
        case .string(let name):
            guard let layer = stack.layers.first(where: { $0.name == name }) else {
                throw LodeError(.key, "the stack has no layer '\(name)'", hint: "layers are: " + stack.names.joined(separator: ", "))
            }
            return .object(RasterObject(layer))
        case .number(let n) where n == n.rounded():
            var i = Int(n)
            if i < 0 { i += stack.count }
            guard stack.layers.indices.contains(i) else {
                throw LodeError(.index, "layer \(Int(n)) is out of range for a stack of \(stack.count) layers")
            }
            return .object(RasterObject(stack.layers[i]))
        default: return nil
        }
    }

    public func elements() throws -> [LodeValue]? { stack.layers.map { .object(RasterObject($0)) } }
}
