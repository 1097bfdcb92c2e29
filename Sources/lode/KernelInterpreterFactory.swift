import Foundation
import LodeKernel
import LodeScript

/// The interpreter `lode kernel` serves: the same session the REPL gets, behind the kernel's
/// interpreter interface.
func makeKernelInterpreter() throws -> KernelInterpreter {
    SessionInterpreter(session: LodeSessionFactory.makeSession(), helpLinks: documentationLinks())
}

/// Links to the language and command reference of the source tree the binary was built in,
/// when it is there (Jupyter shows them in its Help menu).
private func documentationLinks() -> [KernelInfo.HelpLink] {
    var directory = URL(fileURLWithPath: currentExecutablePath()).deletingLastPathComponent()
    for _ in 0..<4 {
        let docs = directory.appendingPathComponent("docs")
        let pages = [("Lode language", "language.md"), ("Lode commands", "reference.md")]
            .filter { FileManager.default.fileExists(atPath: docs.appendingPathComponent($0.1).path) }
        if !pages.isEmpty {
            return pages.map { KernelInfo.HelpLink(text: $0.0, url: docs.appendingPathComponent($0.1).absoluteString) }
        }
        directory = directory.deletingLastPathComponent()
    }
    return []
}
