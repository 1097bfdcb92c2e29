import Foundation
import LodeGeo

extension ZoneSet {
    /// Writes GeoJSON (`.geojson`/`.json`) or GeoPackage (`.gpkg`), chosen by the extension.
    public func write(to path: String, layerName: String = "target_zones") throws {
        try GeoJSONFile.write(geoJSON(), to: path, layerName: layerName)
    }

    /// GeoJSON FeatureCollection, one MultiPolygon feature per zone with its attributes.
    /// The CRS goes into the (pre-RFC 7946) `crs` member that GDAL reads, as an OGC URN
    /// when given as "EPSG:n", so projected coordinates keep their meaning.
    public func geoJSON() -> String {
        var parts: [String] = []
        parts.append("{\"type\":\"FeatureCollection\",\"name\":\"target_zones\"")
        if let crs {
            parts.append(",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\(jsonString(crsURN(crs)))}}")
        }
        parts.append(",\"features\":[")
        parts.append(zones.map(featureJSON).joined(separator: ","))
        parts.append("]}\n")
        return parts.joined()
    }

    private func featureJSON(_ zone: TargetZone) -> String {
        let coordinates = "[" + zone.polygons.map { polygon in
            "[" + polygon.map { ring in
                "[" + ring.map { "[\(jsonNumber($0.x)),\(jsonNumber($0.y))]" }.joined(separator: ",") + "]"
            }.joined(separator: ",") + "]"
        }.joined(separator: ",") + "]"
        let properties = zip(Self.tableColumns, tableCells(zone)).map { pair in
            // "grade" and the name lists are text, everything else a number.
            let isNumber = !Self.textColumns.contains(pair.0)
            return "\(jsonString(pair.0)):\(isNumber ? pair.1 : jsonString(pair.1))"
        }.joined(separator: ",")
        return "{\"type\":\"Feature\",\"properties\":{\(properties)},"
            + "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":\(coordinates)}}"
    }

    /// `area` is in the CRS's units squared (m² for the projected grids Lode works on);
    /// `area_km2` is the same in km², the unit a geologist reads.
    public static let tableColumns = ["id", "grade", "cells", "area", "area_km2", "max_probability", "mean_probability",
                                      "centroid_x", "centroid_y", "known_deposits", "hidden_deposits",
                                      "known_names", "hidden_names"]
    static let textColumns: Set<String> = ["grade", "known_names", "hidden_names"]

    private func tableCells(_ zone: TargetZone) -> [String] {
        [String(zone.id), zone.grade.rawValue, String(zone.cells.count), jsonNumber(zone.area), String(format: "%.4f", zone.area / 1e6),
         String(format: "%.4f", zone.maxProbability), String(format: "%.4f", zone.meanProbability),
         jsonNumber(zone.centroidX), jsonNumber(zone.centroidY),
         String(zone.knownDeposits.count), String(zone.hiddenDeposits.count),
         zone.knownDeposits.joined(separator: "; "), zone.hiddenDeposits.joined(separator: "; ")]
    }

    /// One row per zone, the same attributes as the GeoJSON.
    public var csv: String {
        ([Self.tableColumns] + zones.map(tableCells)).map { $0.map(csvField).joined(separator: ",") }
            .joined(separator: "\n") + "\n"
    }

    public var markdown: String {
        var lines = ["| " + Self.tableColumns.joined(separator: " | ") + " |",
                     "|" + Self.tableColumns.map { _ in "---" }.joined(separator: "|") + "|"]
        lines += zones.map { "| " + tableCells($0).joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n")
    }
}

func crsURN(_ crs: String) -> String {
    let parts = crs.split(separator: ":")
    if parts.count == 2, parts[0].uppercased() == "EPSG", Int(parts[1]) != nil {
        return "urn:ogc:def:crs:EPSG::\(parts[1])"
    }
    return crs
}

/// Shortest text that reads back as the same Double; JSON has no NaN or infinity, so those
/// become null.
func jsonNumber(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}

func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
