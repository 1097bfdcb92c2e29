import ArgumentParser
import Foundation
import LodeNN
import LodeTensor

/// `lode predict CHECKPOINT WINDOWS --output FILE`: class probabilities of the windows stored
/// as "windows" [N, C, k, k] in a safetensors file, written as "probabilities" and "logits" [N, classes].
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Class probabilities of windows (safetensors 'windows') from a model checkpoint."
    )

    @Argument(help: "Model checkpoint (.safetensors) written by Lode.")
    var checkpoint: String

    @Argument(help: "Safetensors file holding 'windows' [N, C, k, k].")
    var windows: String

    @Option(help: "Where to write 'probabilities' [N, classes].")
    var output: String

    @Option(help: "Windows per batch.")
    var batch: Int = 128

    func run() throws {
        let model = try loadModel(checkpoint: checkpoint)
        let x = try SafetensorsFile.read(path: windows).tensor("windows")
        let logits = try predictLogits(model, windows: x, batchSize: batch)
        let p = try noGrad { try logits.softmax(axis: -1) }
        try SafetensorsFile(tensors: ["probabilities": p, "logits": logits]).write(path: output)
        print("\(model.kind.displayName): \(p.shape[0]) windows → \(output)")
    }
}
