import LodeNN
import LodeScript
import LodeTensor

/// A network or a building block. Calling it on a tensor runs its forward pass; its members
/// are its named children (`model.ss.stem`), so a model can be explored like a tree.
public final class ModelObject: CallableObject, RichDisplayable {
    public let module: Module
    /// The last training run's history (kept when training is interrupted).
    public var history: TrainingHistory?
    /// An interrupted training run, kept so `resume(model, data)` continues it.
    public var trainer: Trainer?

    public init(_ module: Module) { self.module = module }

    public var typeName: String { "model" }
    public var summary: String {
        let takes = module.contract.map { ", takes \($0.described)" } ?? ""
        return "model \(module.headline), \(module.parameterCount) parameters\(takes)"
    }
    public var memberNames: [String] { ["parameters", "keys", "summary", "name", "history", "channels", "window", "layers"] + module.children.map(\.name) }

    public func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "parameters": return .number(Double(module.parameterCount))
        case "keys": return .list(module.stateDict().map { .string($0.key) })
        case "summary": return .string(module.summary)
        case "name": return .string(module.headline)
        case "history": return history.map { .object(HistoryObject($0)) } ?? .nil
        case "channels": return module.contract.map { .number(Double($0.channels)) } ?? .nil
        case "window": return module.contract.map { .number(Double($0.window)) } ?? .nil
        case "layers": return module.contract?.layerNames.map { .list($0.map(LodeValue.string)) } ?? .nil
        default:
            if let tensor = scriptedMember(name) { return tensor }
            return module.children.first { $0.name == name }.map { .object(ModelObject($0.module)) }
        }
    }

    /// `model[0]` is the first child.
    public func index(_ key: LodeValue) throws -> LodeValue? {
        switch key {
        case .number(let n) where n == n.rounded():
            let children = module.children
            guard children.indices.contains(Int(n)) else {
                throw LodeError(.index, "child \(Int(n)) is out of range for a block with \(children.count) children")
            }
            return .object(ModelObject(children[Int(n)].module))
        case .string(let name): return try member(name)
        default: return nil
        }
    }

    public func call(_ arguments: [LodeValue], named: [(String, LodeValue)], context: CallContext) throws -> LodeValue {
        guard arguments.count == 1, named.isEmpty, case .object(let object as TensorObject) = arguments[0] else {
            throw LodeError(.argument, "a model is called with one tensor, e.g. model(x)", at: context.location)
        }
        return .object(TensorObject(try module(object.tensor)))
    }

    public func displayBundle() -> DisplayBundle {
        DisplayBundle(data: ["text/plain": summary + "\n" + module.summary,
                             "text/html": "<pre>" + module.summary.replacingOccurrences(of: "<", with: "&lt;") + "</pre>"])
    }
}

/// Loss, accuracy and validation AUC per epoch of one training run.
public final class HistoryObject: LodeObject, RichDisplayable {
    public let history: TrainingHistory
    public init(_ history: TrainingHistory) { self.history = history }

    public var typeName: String { "history" }
    public var summary: String {
        let best = history.bestValidationAUC.map { ", best val AUC \(formatted($0)) at epoch \(history.bestEpoch ?? 0)" } ?? ""
        return "history \(history.epochs.count) epochs (\(history.status.rawValue))\(best)"
    }
    public var memberNames: [String] { ["epochs", "loss", "accuracy", "val_loss", "val_accuracy", "val_auc", "best_auc", "best_epoch", "status"] }

    public func member(_ name: String) throws -> LodeValue? {
        func list(_ values: [Double?]) -> LodeValue { .list(values.map { $0.map(LodeValue.number) ?? .nil }) }
        switch name {
        case "epochs": return .number(Double(history.epochs.count))
        case "loss": return list(history.epochs.map(\.trainLoss))
        case "accuracy": return list(history.epochs.map(\.trainAccuracy))
        case "val_loss": return list(history.epochs.map(\.validationLoss))
        case "val_accuracy": return list(history.epochs.map(\.validationAccuracy))
        case "val_auc": return list(history.epochs.map(\.validationAUC))
        case "best_auc": return history.bestValidationAUC.map(LodeValue.number) ?? .nil
        case "best_epoch": return history.bestEpoch.map { .number(Double($0)) } ?? .nil
        case "status": return .string(history.status.rawValue)
        default: return nil
        }
    }

    public var table: TableObject {
        TableObject(title: summary, columns: ["epoch", "loss", "accuracy", "val_loss", "val_auc", "lr", "seconds"],
                    rows: history.epochs.map { e in
                        ["\(e.epoch)", formatted(e.trainLoss), formatted(e.trainAccuracy),
                         e.validationLoss.map { formatted($0) } ?? "", e.validationAUC.map { formatted($0) } ?? "",
                         String(format: "%.2e", Double(e.learningRate)), formatted(e.seconds, digits: 1)]
                    })
    }

    public func displayBundle() -> DisplayBundle { table.displayBundle() }
}
