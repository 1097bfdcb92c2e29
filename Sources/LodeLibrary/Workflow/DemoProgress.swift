import Foundation
import LodeNN

/// Where the demo reports: one line per stage, and a bar per training epoch (redrawn in place
/// on a terminal, one line per epoch otherwise).
public final class DemoProgress: TrainingObserver {
    let write: (String) -> Void
    let interactive: Bool
    var label = ""
    private var lastPercent = -1

    public init(interactive: Bool = isatty(STDOUT_FILENO) != 0, write: @escaping (String) -> Void = { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }) {
        self.interactive = interactive
        self.write = write
    }

    func stage(_ number: Int, _ total: Int, _ text: String) { write("[\(number)/\(total)] \(text)\n") }
    func note(_ text: String) { write("      \(text)\n") }

    /// A bar for long loops other than training (mapping, SHAP).
    func fraction(_ what: String, _ done: Int, _ total: Int) {
        let percent = total == 0 ? 100 : done * 100 / total
        guard percent != lastPercent else { return }
        lastPercent = percent
        if interactive {
            write("\r      \(what) \(bar(Double(done) / Double(max(total, 1)))) \(percent)%" + (done >= total ? "\n" : ""))
        } else if percent % 25 == 0 {
            write("      \(what) \(percent)%\n")
        }
        if done >= total { lastPercent = -1 }
    }

    public func training(_ event: TrainingEvent) {
        switch event {
        case let .step(epoch, step, steps, loss, rate, eta):
            guard interactive else { return }
            write(String(format: "\r      %@ epoch %d %@ %3d%% loss %.4f %.0f win/s eta %.0f s", label, epoch + 1,
                         bar(Double(step + 1) / Double(steps)), (step + 1) * 100 / steps, loss, rate, eta))
        case let .epochFinished(record):
            let auc = record.validationAUC.map { String(format: "%.4f", $0) } ?? "n/a"
            let line = String(format: "%@ epoch %d: loss %.4f, accuracy %.3f, validation AUC %@ (%.1f s)", label,
                              record.epoch, record.trainLoss, record.trainAccuracy, auc, record.seconds)
            write(interactive ? "\r      \(line)\u{1B}[K\n" : "      \(line)\n")
        case .checkpointWritten:
            break
        }
    }

    private func bar(_ fraction: Double) -> String {
        let filled = Int((min(max(fraction, 0), 1) * 20).rounded())
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "]"
    }
}
