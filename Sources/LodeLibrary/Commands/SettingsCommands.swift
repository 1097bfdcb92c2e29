import Foundation
import LodeScript
import LodeTensor

/// Session settings of the tensor layer.
enum SettingsCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "notebook")
        r.add("threads", [Parameter("count", .optional(.integer), default: .nil, range: .atLeastOne,
                                    doc: "cores to spread tensor work over (training, mapping, SHAP); nil leaves it")],
              returns: "number",
              doc: "The number of cores tensor work uses, after setting it to `count` when given. It starts at the "
                  + "LODE_THREADS environment variable, or the machine's cores. Tensor ops keep partial sums per "
                  + "fixed block of work, so most results are the same on any count.",
              example: "threads(2)") { arguments in
            if let count = try arguments.optionalInteger("count") {
                let cores = ProcessInfo.processInfo.activeProcessorCount
                if count > cores { WorkMonitor.warn("\(count) threads on \(cores) cores: the extra threads share them") }
                Threads.set(count)
            }
            return .number(Double(Threads.count))
        }
    }
}
