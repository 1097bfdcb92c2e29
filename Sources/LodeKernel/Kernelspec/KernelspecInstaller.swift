import Foundation
import LodeScript

/// Writes and removes the kernelspec folder (`kernels/NAME/kernel.json` and logos) that lets
/// Jupyter start `lode kernel -f {connection_file}`.
public enum KernelspecInstaller {
    public enum Location: Equatable {
        /// The user's Jupyter data folder ($JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter).
        case user
        /// PREFIX/share/jupyter.
        case prefix(String)
        /// The active virtual or conda environment's share/jupyter.
        case sysPrefix
        /// The machine-wide /usr/local/share/jupyter.
        case system
    }

    public static func dataDirectory(for location: Location, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        switch location {
        case .user:
            if let dir = environment["JUPYTER_DATA_DIR"], !dir.isEmpty { return dir }
            if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/jupyter" }
            return UserDirectories.home(environment) + "/.local/share/jupyter"
        case .prefix(let prefix):
            return prefix + "/share/jupyter"
        case .sysPrefix:
            guard let prefix = environment["VIRTUAL_ENV"] ?? environment["CONDA_PREFIX"], !prefix.isEmpty else {
                throw KernelSetupError("--sys-prefix needs an active Python environment (VIRTUAL_ENV or CONDA_PREFIX is not set); use --user or --prefix DIR")
            }
            return prefix + "/share/jupyter"
        case .system:
            return "/usr/local/share/jupyter"
        }
    }

    /// The kernel.json content: how Jupyter starts the kernel and how it interrupts it.
    /// `environment` is set for the kernel process (e.g. LODE_DOCS_URL).
    public static func kernelJSON(executable: String, displayName: String, environment: [String: String] = [:]) -> JSONObject {
        var spec: JSONObject = ["argv": [executable, "kernel", "-f", "{connection_file}"],
                                "display_name": displayName,
                                "language": "lode",
                                "interrupt_mode": "message",
                                "metadata": ["debugger": false] as JSONObject]
        if !environment.isEmpty { spec["env"] = environment }
        return spec
    }

    /// Installs the spec and returns its folder.
    @discardableResult
    public static func install(name: String = "lode", displayName: String = "Lode", location: Location,
                               executable: String, environment: [String: String] = [:]) throws -> String {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
            throw KernelSetupError("kernel name '\(name)' may only hold letters, digits, '.', '_' and '-'")
        }
        let folder = try dataDirectory(for: location) + "/kernels/" + name
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let spec = try JSONSerialization.data(withJSONObject: kernelJSON(executable: executable, displayName: displayName, environment: environment),
                                                  options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try spec.write(to: URL(fileURLWithPath: folder + "/kernel.json"))
            try Data(KernelLogo.png(size: 32)).write(to: URL(fileURLWithPath: folder + "/logo-32x32.png"))
            try Data(KernelLogo.png(size: 64)).write(to: URL(fileURLWithPath: folder + "/logo-64x64.png"))
            try Data(KernelLogo.svg.utf8).write(to: URL(fileURLWithPath: folder + "/logo-svg.svg"))
        } catch {
            throw KernelSetupError("cannot write the kernelspec into \(folder): \(error.localizedDescription)")
        }
        return folder
    }

    /// Removes the spec; returns the folder removed.
    @discardableResult
    public static func uninstall(name: String = "lode", location: Location) throws -> String {
        let folder = try dataDirectory(for: location) + "/kernels/" + name
        guard FileManager.default.fileExists(atPath: folder + "/kernel.json") else {
            throw KernelSetupError("no kernelspec named '\(name)' in \(folder)")
        }
        do { try FileManager.default.removeItem(atPath: folder) } catch {
            throw KernelSetupError("cannot remove \(folder): \(error.localizedDescription)")
        }
        return folder
    }
}
