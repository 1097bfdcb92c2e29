import CGDAL
import Foundation

/// GDAL is set up once per process: all drivers registered, and its own error printing silenced,
/// because LodeGeo turns every failure into a `GeoError` with the file name instead.
enum GDALEnvironment {
    private static let setUp: Void = {
        GDALAllRegister()
        CPLSetErrorHandler(CPLQuietErrorHandler)
    }()

    static func ensureReady() { _ = setUp }

    /// GDAL's last error text, for messages, or nil when there is none.
    static func lastError() -> String? {
        guard let text = CPLGetLastErrorMsg() else { return nil }
        let message = String(cString: text)
        return message.isEmpty ? nil : message
    }

    static func resetError() { CPLErrorReset() }
}

/// Owns a C string that GDAL allocated and the caller must free.
func takeGDALString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    defer { VSIFree(pointer) }
    return String(cString: pointer)
}
