import CGDAL
import Foundation

/// A coordinate reference system, kept as WKT (what GDAL writes into files) plus its EPSG code
/// when it has one. Anything GDAL's `SetFromUserInput` accepts can be given: "EPSG:32646",
/// WKT, or a PROJ string.
public struct CRS: Equatable, Sendable, CustomStringConvertible {
    public let wkt: String
    public let epsg: Int?
    public let name: String

    public init(_ text: String) throws {
        GDALEnvironment.ensureReady()
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw GeoError("an empty text is not a coordinate reference system") }
        guard let handle = OSRNewSpatialReference(nil) else { throw GeoError("GDAL could not allocate a spatial reference") }
        defer { OSRDestroySpatialReference(handle) }
        GDALEnvironment.resetError()
        // A CRS as Lode prints it ("WGS 84 / UTM zone 50S (EPSG:32750)", what `points.crs` gives)
        // reads back by its code, so `reproject(sites, samples.crs)` works.
        var input = trimmed
        if trimmed.hasSuffix(")"), let open = trimmed.range(of: "(EPSG:", options: .backwards) {
            let code = trimmed[open.upperBound..<trimmed.index(before: trimmed.endIndex)]
            if !code.isEmpty, code.allSatisfy(\.isNumber) { input = "EPSG:" + code }
        }
        guard OSRSetFromUserInput(handle, input) == 0 else {
            throw GeoError("unknown coordinate reference system '\(trimmed)'",
                           hint: "use an EPSG code such as EPSG:32646 (UTM 46N) or EPSG:4326 (lon/lat)")
        }
        try self.init(handle: handle)
    }

    public init(epsg code: Int) throws {
        try self.init("EPSG:\(code)")
    }

    /// From a GDAL handle owned by the caller.
    init(handle: OGRSpatialReferenceH) throws {
        var pointer: UnsafeMutablePointer<CChar>?
        guard OSRExportToWkt(handle, &pointer) == 0, let wkt = takeGDALString(pointer), !wkt.isEmpty else {
            throw GeoError("GDAL could not describe a coordinate reference system as WKT")
        }
        self.wkt = wkt
        _ = OSRAutoIdentifyEPSG(handle)
        var code: Int?
        if let authority = OSRGetAuthorityName(handle, nil), String(cString: authority) == "EPSG",
           let text = OSRGetAuthorityCode(handle, nil) {
            code = Int(String(cString: text))
        }
        self.epsg = code
        if let namePointer = OSRGetName(handle) {
            self.name = String(cString: namePointer)
        } else {
            self.name = code.map { "EPSG:\($0)" } ?? "custom CRS"
        }
    }

    /// Makes a GDAL handle (caller destroys it) with x = easting/longitude first, whatever the
    /// authority's axis order, so coordinates never swap silently.
    func makeHandle() throws -> OGRSpatialReferenceH {
        GDALEnvironment.ensureReady()
        guard let handle = OSRNewSpatialReference(nil) else { throw GeoError("GDAL could not allocate a spatial reference") }
        let source = epsg.map { "EPSG:\($0)" } ?? wkt
        guard OSRSetFromUserInput(handle, source) == 0 else {
            OSRDestroySpatialReference(handle)
            throw GeoError("GDAL could not read the coordinate reference system \(name)")
        }
        OSRSetAxisMappingStrategy(handle, OAMS_TRADITIONAL_GIS_ORDER)
        return handle
    }

    public var isGeographic: Bool {
        guard let handle = try? makeHandle() else { return false }
        defer { OSRDestroySpatialReference(handle) }
        return OSRIsGeographic(handle) != 0
    }

    /// Same system, even when the WKT texts differ in wording.
    public static func == (lhs: CRS, rhs: CRS) -> Bool {
        if let a = lhs.epsg, let b = rhs.epsg { return a == b }
        if lhs.wkt == rhs.wkt { return true }
        guard let a = try? lhs.makeHandle() else { return false }
        defer { OSRDestroySpatialReference(a) }
        guard let b = try? rhs.makeHandle() else { return false }
        defer { OSRDestroySpatialReference(b) }
        return OSRIsSame(a, b) != 0
    }

    public var description: String {
        epsg.map { "\(name) (EPSG:\($0))" } ?? name
    }
}

/// Reprojection of coordinate arrays between two systems with GDAL's OSR.
public enum Reprojection {
    public static func transformed(x: [Double], y: [Double], from source: CRS, to target: CRS) throws -> (x: [Double], y: [Double]) {
        if source == target { return (x, y) }
        let sourceHandle = try source.makeHandle()
        defer { OSRDestroySpatialReference(sourceHandle) }
        let targetHandle = try target.makeHandle()
        defer { OSRDestroySpatialReference(targetHandle) }
        guard let transform = OCTNewCoordinateTransformation(sourceHandle, targetHandle) else {
            throw GeoError("no transformation from \(source) to \(target)",
                           hint: GDALEnvironment.lastError())
        }
        defer { OCTDestroyCoordinateTransformation(transform) }
        var outX = x
        var outY = y
        var success = [Int32](repeating: 0, count: x.count)
        if x.isEmpty { return (outX, outY) }
        let ok = outX.withUnsafeMutableBufferPointer { xs in
            outY.withUnsafeMutableBufferPointer { ys in
                success.withUnsafeMutableBufferPointer { flags in
                    OCTTransformEx(transform, Int32(x.count), xs.baseAddress, ys.baseAddress, nil, flags.baseAddress)
                }
            }
        }
        if ok == 0 || success.contains(0) {
            let bad = success.firstIndex(of: 0) ?? 0
            throw GeoError("point \(bad + 1) at (\(x[bad]), \(y[bad])) cannot be transformed from \(source) to \(target)")
        }
        return (outX, outY)
    }
}

extension CRS {
    /// "EPSG:n" when the CRS has a code, its WKT otherwise: what exports write, and what
    /// `CRS(text)` reads back.
    public var shortText: String { epsg.map { "EPSG:\($0)" } ?? wkt }
}
