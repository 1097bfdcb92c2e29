import Foundation

/// Hands a file to the desktop's viewer (`xdg-open` on Linux, `open` on macOS), when there is
/// a desktop: over ssh or in a container there is none, and the REPL says so instead of
/// starting a program that fails.
enum DesktopViewer {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    static func open(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<String, Unavailable> {
        guard FileManager.default.fileExists(atPath: path) else {
            return .failure(Unavailable(description: "no file \(path) to open"))
        }
        #if os(macOS)
        let program = "open"
        #else
        let program = "xdg-open"
        let hasDisplay = [environment["DISPLAY"], environment["WAYLAND_DISPLAY"]].contains { !($0 ?? "").isEmpty }
        guard hasDisplay else {
            return .failure(Unavailable(description: "no desktop to show \(path) on (DISPLAY and WAYLAND_DISPLAY are unset); open the file from where you view it"))
        }
        #endif
        guard let executable = find(program, environment: environment) else {
            return .failure(Unavailable(description: "no viewer: \(program) is not on PATH; the figure is at \(path)"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            return .failure(Unavailable(description: "\(program) could not start: \(error.localizedDescription); the figure is at \(path)"))
        }
        return .success(program)
    }

    static func find(_ program: String, environment: [String: String]) -> String? {
        for directory in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = (String(directory) as NSString).appendingPathComponent(program)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
