import Foundation
import LodeTensor

/// Picking a metric CRS for data read in lon/lat, and the checks that catch degrees used as
/// metres: a geologist's survey often arrives in EPSG:4326 while every distance in Lode (cell
/// size, IDW radius, fault rings) is in metres.
extension CRS {
    /// WGS 84 longitude/latitude (EPSG:4326).
    public static func lonLat() throws -> CRS { try CRS(epsg: 4326) }

    /// The WGS 84 / UTM zone holding a longitude and latitude: EPSG:326zz north of the
    /// equator, EPSG:327zz south, with the Norway and Svalbard exceptions.
    public static func utmCode(longitude: Double, latitude: Double) throws -> Int {
        guard longitude.isFinite, latitude.isFinite, abs(latitude) <= 84, abs(longitude) <= 180 else {
            throw GeoError("(\(longitude), \(latitude)) is not a longitude and latitude inside the UTM zones (latitude 84°S…84°N)",
                           hint: "polar surveys need a polar stereographic CRS such as EPSG:3031 or EPSG:3413")
        }
        var zone = Int(((longitude + 180) / 6).rounded(.down)) + 1
        zone = min(max(zone, 1), 60)
        if latitude >= 56, latitude < 64, longitude >= 3, longitude < 12 { zone = 32 }
        if latitude >= 72 {
            switch longitude {
            case 0..<9: zone = 31
            case 9..<21: zone = 33
            case 21..<33: zone = 35
            case 33..<42: zone = 37
            default: break
            }
        }
        return (latitude >= 0 ? 32600 : 32700) + zone
    }

    /// Longitude and latitude of coordinates in this CRS.
    public func lonLat(x: [Double], y: [Double]) throws -> (longitude: [Double], latitude: [Double]) {
        let (lon, lat) = try Reprojection.transformed(x: x, y: y, from: self, to: try .lonLat())
        return (lon, lat)
    }
}

extension Extent {
    /// True when every coordinate could be a longitude and latitude.
    public var looksLikeDegrees: Bool {
        west >= -180 && east <= 360 && south >= -90 && north <= 90
    }
}

/// The UTM zone that fits a set of coordinates, from the centre of their extent; a warning says
/// when they straddle zones (distances stay usable a few degrees beyond a zone's edge).
public enum UTMChoice {
    public static func code(x: [Double], y: [Double], crs: CRS?, source: String) throws -> Int {
        guard let extent = Extent(x: x, y: y) else { throw GeoError("no coordinates to choose a UTM zone from", file: source) }
        guard let crs else {
            throw GeoError("the coordinates have no CRS, so their UTM zone is unknown", file: source,
                           hint: extent.looksLikeDegrees ? "they look like lon/lat: read them with crs: \"EPSG:4326\"" : "read them with crs: \"EPSG:…\"")
        }
        let corners = try crs.lonLat(x: [extent.west, extent.east, (extent.west + extent.east) / 2],
                                     y: [extent.south, extent.north, (extent.south + extent.north) / 2])
        let code = try CRS.utmCode(longitude: corners.longitude[2], latitude: corners.latitude[2])
        let west = try CRS.utmCode(longitude: corners.longitude[0], latitude: corners.latitude[2])
        let east = try CRS.utmCode(longitude: corners.longitude[1], latitude: corners.latitude[2])
        if west != east {
            WorkMonitor.warn("the data span UTM zones \(west % 100) to \(east % 100); EPSG:\(code) (the centre's zone) was chosen, so distances far from its centre stretch a little")
        }
        return code
    }
}

/// Loud checks of a grid against its units: a cell of hundreds of "degrees", a cell of a
/// thousandth of a metre, or a grid of one row or column all mean the units were mixed up.
public enum GridUnitCheck {
    public static func check(extent: Extent, cellSize: Double, crs: CRS?) throws {
        guard let crs else { return }  // no CRS: only the one-row grid warning can tell
        if crs.isGeographic, cellSize >= 1 {
            throw GeoError("the extent is in \(crs), so a cell of \(LodeGeoFormat.number(cellSize)) would be \(LodeGeoFormat.number(cellSize)) degrees",
                           hint: "reproject to metres first: samples = reproject(samples, \"utm\"), then grid(samples, cell: \(LodeGeoFormat.number(cellSize)))")
        }
        if !crs.isGeographic, cellSize < 0.01, max(extent.width, extent.height) > 100 {
            WorkMonitor.warn("the grid is in metres (\(crs)) but the cell is \(LodeGeoFormat.number(cellSize)) m: was it meant in degrees?")
        }
    }

    /// A grid of a single row or column is legal but almost always a unit mistake.
    public static func warnIfDegenerate(_ grid: GridSpec) {
        if grid.rows < 2 || grid.cols < 2 {
            WorkMonitor.warn("the grid has \(grid.rows) row(s) × \(grid.cols) column(s): is the cell size (\(LodeGeoFormat.number(grid.cellSize))) in the units of the extent (\(LodeGeoFormat.number(grid.extent.width)) × \(LodeGeoFormat.number(grid.extent.height)))?")
        }
    }
}

/// Short numbers for messages: 500, 0.001, 43.61.
enum LodeGeoFormat {
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.4g", value)
    }
}

/// Data with a CRS on a grid without one (or the reverse) cannot be checked or reprojected;
/// they are used as if in one system, which a user should hear about.
public enum CRSMismatch {
    public static func warnIfOneSided(_ data: CRS?, _ grid: CRS?, what: String) {
        switch (data, grid) {
        case (let data?, nil):
            WorkMonitor.warn("the \(what) are in \(data) but the grid has no CRS: their coordinates were used as they are")
        case (nil, let grid?):
            WorkMonitor.warn("the \(what) have no CRS but the grid is in \(grid): their coordinates were taken to be in \(grid)")
        default: break
        }
    }
}
