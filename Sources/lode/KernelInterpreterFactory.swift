import Foundation
import LodeKernel
import LodeScript

/// The interpreter `lode kernel` serves: the same session the REPL gets, behind the kernel's
/// interpreter interface.
func makeKernelInterpreter() throws -> KernelInterpreter {
    SessionInterpreter(session: LodeSessionFactory.makeSession(), helpLinks: documentationLinks())
}

/// Jupyter's Help menu opens these in the browser, which refuses file:// pages of the machine
/// the kernel runs on; so the links are made only from a web address where the project's
/// docs/ folder is published ($LODE_DOCS_URL, which `lode kernel install --docs-url` writes
/// into kernel.json), and there are none without one.
func documentationLinks(environment: [String: String] = ProcessInfo.processInfo.environment) -> [KernelInfo.HelpLink] {
    guard let base = environment["LODE_DOCS_URL"], let url = URL(string: base),
          let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil else { return [] }
    let folder = base.hasSuffix("/") ? base : base + "/"
    return [KernelInfo.HelpLink(text: "Lode language", url: folder + "language.md"),
            KernelInfo.HelpLink(text: "Lode commands", url: folder + "reference.md")]
}
