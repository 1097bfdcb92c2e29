import Foundation
import LodeGeo
import LodeScript

/// The built-in synthetic study area: samples, faults, known and hidden deposits, its grid.
public final class SurveyObject: LodeObject {
    public let survey: SyntheticSurvey
    public init(_ survey: SyntheticSurvey) { self.survey = survey }

    public var typeName: String { "survey" }
    public var summary: String {
        "survey \"\(survey.preset.name)\" (seed \(survey.seed)): \(survey.samples.count) samples, \(survey.faults.count) faults, "
            + "\(survey.knownDeposits.count) known and \(survey.hiddenDeposits.count) hidden deposits, grid \(survey.grid.rows)×\(survey.grid.cols) at \(Int(survey.grid.cellSize)) m"
    }
    public var memberNames: [String] { ["samples", "faults", "deposits", "hidden", "grid", "extent", "crs", "elements", "preset", "seed"] }

    public func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "samples": return .object(PointsObject(survey.samples))
        case "faults": return .object(LinesObject(survey.faults))
        case "deposits": return .object(PointsObject(survey.knownDeposits))
        case "hidden": return .object(PointsObject(survey.hiddenDeposits))
        case "grid": return .object(GridObject(survey.grid))
        case "extent": return extentRecord(survey.grid.extent, crs: survey.grid.crs)
        case "crs": return .string(survey.crs.description)
        case "elements": return .list(SyntheticSurvey.elements.map { .string($0) })
        case "preset": return .string(survey.preset.name)
        case "seed": return .number(Double(survey.seed))
        default: return nil
        }
    }
}

/// `{west, south, east, north, crs}`: what `grid(extent, cell:)` reads back.
func extentRecord(_ extent: Extent, crs: CRS?) -> LodeValue {
    var record = LodeRecord()
    record["west"] = .number(extent.west)
    record["south"] = .number(extent.south)
    record["east"] = .number(extent.east)
    record["north"] = .number(extent.north)
    record["crs"] = crs.map { .string($0.epsg.map { "EPSG:\($0)" } ?? $0.wkt) } ?? .nil
    return .record(record)
}

/// Point samples or deposits with their attribute columns.
public final class PointsObject: LodeObject, WarningCarrier {
    /// The warnings given while this value was made (also shown on stderr).
    public var warnings: [String] = []
    public let layer: PointLayer
    public init(_ layer: PointLayer) { self.layer = layer }

    public var typeName: String { "points" }
    public var summary: String {
        "points \(layer.count) from \(layer.source)\(layer.crs.map { " (\($0))" } ?? ""), \(layer.columnNames.count) columns"
    }
    public var memberNames: [String] { ["count", "x", "y", "columns", "ids", "crs", "extent", "values", "warnings"] }

    public func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "count": return .number(Double(layer.count))
        case "x": return .list(layer.x.map { .number($0) })
        case "y": return .list(layer.y.map { .number($0) })
        case "columns": return .list(layer.columnNames.map { .string($0) })
        case "ids": return .list(layer.ids.map { .string($0) })
        case "crs": return layer.crs.map { .string($0.description) } ?? .nil
        case "extent": return layer.extent.map { extentRecord($0, crs: layer.crs) } ?? .nil
        case "values":
            // points.values("Au_ppm"): the values command bound to these points.
            let layer = self.layer
            return .function(LodeFunction(command: CommandEntry(
                name: "values", parameters: [Parameter("column", .string, doc: "the column, e.g. \"Au_ppm\"")],
                doc: "The values of one attribute column of these points.", returns: "list", category: "survey files") { a in
                    try AttributeCommands.columnValues(layer, try a.string("column"), a)
                }))
        case "warnings": return .list(warnings.map { .string($0) })
        default: return nil
        }
    }

    /// `points["Au"]`: a column, numeric when every value parses.
    public func index(_ key: LodeValue) throws -> LodeValue? {
        guard case .string(let name) = key else { return nil }
        guard let column = layer.column(named: name) else {
            throw LodeError(.key, "points have no column '\(name)'", hint: "columns are: " + layer.columnNames.joined(separator: ", "))
        }
        return .list(column.map { Double($0).map(LodeValue.number) ?? .string($0) })
    }

    public func elements() throws -> [LodeValue]? { nil }
}

/// Line features such as faults.
public final class LinesObject: LodeObject, WarningCarrier {
    /// The warnings given while this value was made (also shown on stderr).
    public var warnings: [String] = []
    public let layer: LineLayer
    public init(_ layer: LineLayer) { self.layer = layer }

    public var typeName: String { "lines" }
    public var summary: String {
        "lines \(layer.count) (\(layer.segmentCount) segments) from \(layer.source)\(layer.crs.map { " (\($0))" } ?? "")"
    }
    public var memberNames: [String] { ["count", "segments", "names", "crs", "warnings"] }

    public func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "count": return .number(Double(layer.count))
        case "segments": return .number(Double(layer.segmentCount))
        case "names": return .list(layer.names.map { .string($0) })
        case "crs": return layer.crs.map { .string($0.description) } ?? .nil
        case "warnings": return .list(warnings.map { .string($0) })
        default: return nil
        }
    }
}

/// A regular grid: origin, cell size, rows and columns, CRS.
public final class GridObject: LodeObject, WarningCarrier {
    /// The warnings given while this value was made (also shown on stderr).
    public var warnings: [String] = []
    public let grid: GridSpec
    /// Cells inside the study area (row-major) after `mask(grid, polygons)`; rasters made on
    /// this grid (idw, kriging, distance_to, ring_buffer) are no-data outside.
    public let studyArea: [Bool]?
    public init(_ grid: GridSpec, studyArea: [Bool]? = nil) {
        self.grid = grid
        self.studyArea = studyArea
    }

    /// A raster made on this grid, with the cells outside the study area set to no-data.
    func masking(_ raster: Raster) throws -> Raster {
        guard let studyArea else { return raster }
        return try raster.masked(studyArea)
    }

    public var typeName: String { "grid" }
    public var summary: String {
        "grid \(grid.rows)×\(grid.cols) at \(LodeValue.formatNumber(grid.cellSize)) m from (\(LodeValue.formatNumber(grid.west)), \(LodeValue.formatNumber(grid.north)))\(grid.crs.map { " \($0)" } ?? "")"
            + (studyArea.map { ", \($0.filter { $0 }.count) cells in the study area" } ?? "")
    }
    public var memberNames: [String] { ["rows", "cols", "cell", "extent", "crs", "cells", "warnings"] }

    public func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "rows": return .number(Double(grid.rows))
        case "cols": return .number(Double(grid.cols))
        case "cell": return .number(grid.cellSize)
        case "extent": return extentRecord(grid.extent, crs: grid.crs)
        case "crs": return grid.crs.map { .string($0.description) } ?? .nil
        case "cells": return .number(Double(studyArea.map { $0.filter { $0 }.count } ?? grid.cellCount))
        case "warnings": return .list(warnings.map { .string($0) })
        default: return nil
        }
    }
}

/// Areas such as a study-area outline.
public final class PolygonsObject: LodeObject, WarningCarrier {
    /// The warnings given while this value was made (also shown on stderr).
    public var warnings: [String] = []
    public let layer: PolygonLayer
    public init(_ layer: PolygonLayer) { self.layer = layer }

    public var typeName: String { "polygons" }
    public var summary: String {
        "polygons \(layer.count) from \(layer.source)\(layer.crs.map { " (\($0))" } ?? ""), area \(LodeValue.formatNumber(layer.area.rounded()))"
    }
    public var memberNames: [String] { ["count", "names", "crs", "extent", "area", "warnings"] }

    public func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "count": return .number(Double(layer.count))
        case "names": return .list(layer.names.map { .string($0) })
        case "crs": return layer.crs.map { .string($0.description) } ?? .nil
        case "extent": return layer.extent.map { extentRecord($0, crs: layer.crs) } ?? .nil
        case "area": return .number(layer.area)
        case "warnings": return .list(warnings.map { .string($0) })
        default: return nil
        }
    }
}
