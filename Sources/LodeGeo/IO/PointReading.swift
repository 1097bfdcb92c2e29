import CGDAL
import Foundation
import LodeTensor

extension PointLayer {
    /// Reads points from CSV (any common separator), shapefile, GeoPackage or GeoJSON.
    ///
    /// - CSV: the x/y columns are `xColumn`/`yColumn` when given, else the first recognised pair
    ///   (x/y, easting/northing, lon/lat, ...). A lon/lat pair without `crs` is taken as EPSG:4326.
    /// - Other formats: point geometries of the layer (`layer`, default the first); attributes as text.
    /// `crs` overrides (CSV) or must agree with (other formats) the file's own CRS.
    /// `separator` and `decimal` (CSV) override detection; `idColumn` names the points (deposit
    /// names in zone tables and datasets instead of row numbers).
    public static func read(path: String, xColumn: String? = nil, yColumn: String? = nil,
                            crs: CRS? = nil, layer: String? = nil, idColumn: String? = nil,
                            separator: Character? = nil, decimal: Character? = nil) throws -> PointLayer {
        let format = try VectorFormat(path: path)
        var points: PointLayer
        if format == .csv {
            points = try readDelimited(path: path, xColumn: xColumn, yColumn: yColumn, crs: crs, separator: separator, decimal: decimal)
        } else {
            points = try readOGR(path: path, layerName: layer, crs: crs)
        }
        if let idColumn {
            guard points.columnIndex(idColumn) != nil else {
                throw GeoError("no id column '\(idColumn)'", file: path, column: idColumn,
                               hint: "columns are \(points.columnNames.joined(separator: ", "))")
            }
            points.idColumn = points.columnNames[points.columnIndex(idColumn)!]
            let ids = points.ids
            if let empty = ids.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                WorkMonitor.warn("point at row \(points.rowNumbers[empty]) of \(path) has an empty '\(idColumn)'")
            }
            let repeated = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            if !repeated.isEmpty {
                WorkMonitor.warn("\(repeated.count) names in '\(idColumn)' are used by more than one point: \(repeated.prefix(10).joined(separator: ", "))")
            }
        }
        if crs == nil, points.crs == nil, points.looksGeographic {
            WorkMonitor.warn("the coordinates of \(path) look like longitude/latitude in degrees, but no CRS was given; "
                             + "pass crs: \"EPSG:4326\" so they can be reprojected to metres")
        }
        return points
    }

    /// Every x within ±180 and y within ±90, over a small extent: degrees, not metres.
    var looksGeographic: Bool {
        guard let extent else { return false }
        return extent.west >= -180 && extent.east <= 180 && extent.south >= -90 && extent.north <= 90
            && extent.width < 20 && extent.height < 20 && count > 1
    }

    static func readDelimited(path: String, xColumn: String?, yColumn: String?, crs: CRS?,
                              separator: Character? = nil, decimal: Character? = nil) throws -> PointLayer {
        let table = try DelimitedText.read(path: path, separator: separator, decimal: decimal)
        let lowered = table.header.map { $0.lowercased() }
        var xIndex: Int?
        var yIndex: Int?
        var geographic = false
        if xColumn != nil || yColumn != nil {
            guard let xName = xColumn, let yName = yColumn else {
                throw GeoError("give both the x and the y column names", file: path)
            }
            xIndex = lowered.firstIndex(of: xName.lowercased())
            yIndex = lowered.firstIndex(of: yName.lowercased())
            guard xIndex != nil else {
                throw GeoError("no x column '\(xName)'", file: path, row: 1, column: xName,
                               hint: "columns are \(table.header.joined(separator: ", "))")
            }
            guard yIndex != nil else {
                throw GeoError("no y column '\(yName)'", file: path, row: 1, column: yName,
                               hint: "columns are \(table.header.joined(separator: ", "))")
            }
        } else {
            for pair in recognisedCoordinatePairs {
                if let xi = lowered.firstIndex(of: pair.x), let yi = lowered.firstIndex(of: pair.y) {
                    xIndex = xi
                    yIndex = yi
                    geographic = pair.geographic
                    break
                }
            }
            guard xIndex != nil else {
                throw GeoError("no x/y coordinate columns found", file: path, row: 1,
                               hint: "columns are \(table.header.joined(separator: ", ")); name them x/y, easting/northing or lon/lat, or pass xColumn/yColumn")
            }
        }
        guard let xi = xIndex, let yi = yIndex else { throw GeoError("no coordinate columns", file: path) }
        guard !table.records.isEmpty else {
            throw GeoError("the file has a header but no points", file: path)
        }
        var xs: [Double] = []
        var ys: [Double] = []
        var rows: [Int] = []
        xs.reserveCapacity(table.records.count)
        ys.reserveCapacity(table.records.count)
        for record in table.records {
            for (index, name) in [(xi, table.header[xi]), (yi, table.header[yi])] {
                let text = record.fields[index].trimmingCharacters(in: .whitespaces)
                guard let value = Double(text), value.isFinite else {
                    let what = text.isEmpty ? "the coordinate is empty" : "'\(text)' is not a coordinate"
                    throw GeoError(what, file: path, row: record.line, column: name)
                }
                if index == xi { xs.append(value) } else { ys.append(value) }
            }
            rows.append(record.line)
        }
        let attributeIndices = table.header.indices.filter { $0 != xi && $0 != yi }
        let columns = attributeIndices.map { c in table.records.map { $0.fields[c].trimmingCharacters(in: .whitespaces) } }
        var resolvedCRS = crs
        if resolvedCRS == nil, geographic { resolvedCRS = try CRS(epsg: 4326) }
        return try PointLayer(x: xs, y: ys, columnNames: attributeIndices.map { table.header[$0] },
                              columns: columns, crs: resolvedCRS, source: path, rowNumbers: rows)
    }

    static func readOGR(path: String, layerName: String?, crs: CRS?) throws -> PointLayer {
        let dataset = try VectorDataset.open(path)
        defer { GDALClose(dataset) }
        let layer = try VectorDataset.layer(dataset, named: layerName, path: path)
        let fileCRS = try VectorDataset.crs(of: layer)
        if let fileCRS, let crs, !(fileCRS == crs) {
            throw GeoError("the file says its CRS is \(fileCRS) but \(crs) was given", file: path,
                           hint: "leave crs out to use the file's, or reproject the points after reading")
        }
        let names = VectorDataset.fieldNames(layer)
        var xs: [Double] = []
        var ys: [Double] = []
        var columns = [[String]](repeating: [], count: names.count)
        var rows: [Int] = []
        try VectorDataset.forEachFeature(layer, path: path) { feature, geometry, featureNumber in
            var type = OGR_GT_Flatten(OGR_G_GetGeometryType(geometry))
            var point = geometry
            if type == wkbMultiPoint, OGR_G_GetGeometryCount(geometry) == 1, let inner = OGR_G_GetGeometryRef(geometry, 0) {
                point = inner
                type = OGR_GT_Flatten(OGR_G_GetGeometryType(inner))
            }
            guard type == wkbPoint else {
                let typeName = String(cString: OGRGeometryTypeToName(type))
                throw GeoError("feature is a \(typeName), not a point", file: path, row: featureNumber,
                               hint: "read lines with LineLayer.read")
            }
            xs.append(OGR_G_GetX(point, 0))
            ys.append(OGR_G_GetY(point, 0))
            for index in names.indices {
                let isSet = OGR_F_IsFieldSetAndNotNull(feature, Int32(index)) != 0
                columns[index].append(isSet ? String(cString: OGR_F_GetFieldAsString(feature, Int32(index))) : "")
            }
            rows.append(featureNumber)
        }
        guard !xs.isEmpty else { throw GeoError("the layer has no points", file: path) }
        return try PointLayer(x: xs, y: ys, columnNames: names, columns: columns, crs: fileCRS ?? crs,
                              source: path, rowNumbers: rows)
    }
}

/// The parts of a vector file's line or polygon features: the file opened, its layer, CRS and
/// label column checked once, then each feature's single or multi parts with its label (the
/// `nameColumn` value, or "<noun> N"). Lines and polygons differ only in their part types.
struct LabelledParts {
    let fileCRS: CRS?

    /// Calls `body(part, label, featureNumber)` for every part; a feature of another type is an error.
    static func read(path: String, crs: CRS?, layer layerName: String?, nameColumn: String?, noun: String,
                     single: OGRwkbGeometryType, multi: OGRwkbGeometryType, hint: (OGRwkbGeometryType) -> String? = { _ in nil },
                     body: (OGRGeometryH, String, Int) throws -> Void) throws -> LabelledParts {
        _ = try VectorFormat(path: path)
        let dataset = try VectorDataset.open(path)
        defer { GDALClose(dataset) }
        let layer = try VectorDataset.layer(dataset, named: layerName, path: path)
        let fileCRS = try VectorDataset.crs(of: layer)
        if let fileCRS, let crs, !(fileCRS == crs) {
            throw GeoError("the file says its CRS is \(fileCRS) but \(crs) was given", file: path)
        }
        let fields = VectorDataset.fieldNames(layer)
        let nameIndex: Int? = {
            if let nameColumn { return fields.firstIndex { $0.lowercased() == nameColumn.lowercased() } }
            return fields.firstIndex { $0.lowercased() == "name" }
        }()
        if let nameColumn, nameIndex == nil {
            throw GeoError("no column '\(nameColumn)'", file: path, column: nameColumn,
                           hint: "columns are \(fields.joined(separator: ", "))")
        }
        try VectorDataset.forEachFeature(layer, path: path) { feature, geometry, featureNumber in
            let type = OGR_GT_Flatten(OGR_G_GetGeometryType(geometry))
            let parts: [OGRGeometryH]
            if type == single {
                parts = [geometry]
            } else if type == multi {
                parts = (0..<OGR_G_GetGeometryCount(geometry)).compactMap { OGR_G_GetGeometryRef(geometry, $0) }
            } else {
                let typeName = String(cString: OGRGeometryTypeToName(type))
                throw GeoError("feature is a \(typeName), not a \(noun)", file: path, row: featureNumber, hint: hint(type))
            }
            let label = nameIndex.map { String(cString: OGR_F_GetFieldAsString(feature, Int32($0))) } ?? "\(noun) \(featureNumber)"
            for (partIndex, part) in parts.enumerated() {
                try body(part, parts.count > 1 ? "\(label) part \(partIndex + 1)" : label, featureNumber)
            }
        }
        return LabelledParts(fileCRS: fileCRS)
    }
}

extension LineLayer {
    /// Reads lines (LineString and MultiLineString parts) from shapefile, GeoPackage, GeoJSON, or a
    /// CSV with a WKT geometry column. `nameColumn` labels each line (default: "name" when present).
    public static func read(path: String, crs: CRS? = nil, layer layerName: String? = nil,
                            nameColumn: String? = nil) throws -> LineLayer {
        var lines: [[SIMD2<Double>]] = []
        var names: [String] = []
        let file = try LabelledParts.read(path: path, crs: crs, layer: layerName, nameColumn: nameColumn, noun: "line",
                                          single: wkbLineString, multi: wkbMultiLineString) { part, label, featureNumber in
            let count = OGR_G_GetPointCount(part)
            guard count >= 2 else {
                throw GeoError("line has \(count) vertex; a line needs at least two", file: path, row: featureNumber)
            }
            lines.append((0..<count).map { SIMD2(OGR_G_GetX(part, $0), OGR_G_GetY(part, $0)) })
            names.append(label)
        }
        guard !lines.isEmpty else { throw GeoError("the layer has no lines", file: path) }
        return try LineLayer(lines: lines, names: names, crs: file.fileCRS ?? crs, source: path)
    }
}

extension PolygonLayer {
    /// Reads polygons (Polygon and MultiPolygon parts) from shapefile, GeoPackage or GeoJSON.
    /// `nameColumn` labels each polygon (default: "name" when present).
    public static func read(path: String, crs: CRS? = nil, layer layerName: String? = nil,
                            nameColumn: String? = nil) throws -> PolygonLayer {
        var polygons: [[[SIMD2<Double>]]] = []
        var names: [String] = []
        let file = try LabelledParts.read(path: path, crs: crs, layer: layerName, nameColumn: nameColumn, noun: "polygon",
                                          single: wkbPolygon, multi: wkbMultiPolygon,
                                          hint: { $0 == wkbLineString || $0 == wkbMultiLineString ? "read it with read_lines" : nil }) { part, label, featureNumber in
            let rings = (0..<OGR_G_GetGeometryCount(part)).compactMap { OGR_G_GetGeometryRef(part, $0) }.map { ring in
                (0..<OGR_G_GetPointCount(ring)).map { SIMD2(OGR_G_GetX(ring, $0), OGR_G_GetY(ring, $0)) }
            }
            guard !rings.isEmpty else { throw GeoError("polygon has no ring", file: path, row: featureNumber) }
            polygons.append(rings)
            names.append(label)
        }
        guard !polygons.isEmpty else { throw GeoError("the layer has no polygons", file: path) }
        return try PolygonLayer(polygons: polygons, names: names, crs: file.fileCRS ?? crs, source: path)
    }
}
