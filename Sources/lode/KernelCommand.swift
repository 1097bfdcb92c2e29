import ArgumentParser
import Foundation
import LodeKernel

/// `lode kernel -f FILE` serves Lode to Jupyter; `install` and `uninstall` manage the kernelspec.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Run Lode as a Jupyter kernel, or install its kernelspec.",
        subcommands: [Install.self, Uninstall.self]
    )

    @Option(name: .customShort("f"), help: "The connection file Jupyter wrote for this kernel.")
    var connectionFile: String?

    func run() throws {
        guard let connectionFile else {
            throw ValidationError("give the connection file with -f FILE (Jupyter does this through kernel.json), or use 'lode kernel install'")
        }
        let connection = try ConnectionInfo(contentsOf: connectionFile)
        var options = KernelServer.Options()
        if let style = ProcessInfo.processInfo.environment["LODE_PROGRESS"], !style.isEmpty {
            guard let chosen = KernelServer.ProgressStyle(rawValue: style) else {
                throw ValidationError("LODE_PROGRESS is '\(style)'; use automatic, display or lines")
            }
            options.progressStyle = chosen
        }
        let server = try KernelServer(connection: connection, interpreter: try makeKernelInterpreter(), options: options)
        server.run()
        // Other threads may still be inside a cell that ignored the interrupt: leave now.
        Foundation.exit(0)
    }

    /// Where the kernelspec lives; shared by install and uninstall, so the help names the
    /// folder rather than the action.
    struct Location: ParsableArguments {
        @Flag(help: "The user's Jupyter data folder ($JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else $HOME/.local/share/jupyter).")
        var user = false
        @Option(help: "PREFIX/share/jupyter/kernels.")
        var prefix: String?
        @Flag(help: "The active Python environment's share/jupyter/kernels (VIRTUAL_ENV or CONDA_PREFIX).")
        var sysPrefix = false
        @Option(help: "The kernelspec's name.")
        var name = "lode"

        func validate() throws {
            if [user, prefix != nil, sysPrefix].filter({ $0 }).count > 1 {
                throw ValidationError("choose at most one of --user, --prefix DIR and --sys-prefix")
            }
        }

        var location: KernelspecInstaller.Location {
            if user { return .user }
            if let prefix { return .prefix(prefix) }
            if sysPrefix { return .sysPrefix }
            return .system
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install the Lode kernelspec (kernel.json and logos).",
            discussion: "Without a location flag it goes to the machine-wide /usr/local/share/jupyter/kernels.")
        @OptionGroup var options: Location
        @Option(help: "The name shown in Jupyter's kernel menu.")
        var displayName = "Lode"
        @Option(help: "Web address of the published docs/ folder, for Jupyter's Help menu (http or https).")
        var docsURL: String?

        func run() throws {
            var environment: [String: String] = [:]
            if let docsURL {
                guard !documentationLinks(environment: ["LODE_DOCS_URL": docsURL]).isEmpty else {
                    throw ValidationError("--docs-url must be an http or https address, got '\(docsURL)'")
                }
                environment["LODE_DOCS_URL"] = docsURL
            }
            let folder = try KernelspecInstaller.install(name: options.name, displayName: displayName,
                                                         location: options.location, executable: currentExecutablePath(),
                                                         environment: environment)
            print("Installed the Lode kernelspec in \(folder)")
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the Lode kernelspec.",
            discussion: "Give the same location flag it was installed with; without one, /usr/local/share/jupyter/kernels.")
        @OptionGroup var options: Location

        func run() throws {
            let folder = try KernelspecInstaller.uninstall(name: options.name, location: options.location)
            print("Removed the Lode kernelspec from \(folder)")
        }
    }
}

/// The absolute path of the running `lode`, so kernel.json starts this very binary.
func currentExecutablePath() -> String {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
    return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
}
