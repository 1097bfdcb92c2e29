import LodeEval
import Foundation
import LodeGeo
import LodeNN
import LodeScript
import LodeTensor

/// Training any model: `train`, `resume`, the schedules, and the pieces of a training step
/// written in Lode (`cross_entropy`, `backward`, `optimizer_step`).
enum TrainingCommands {
    static let optimizers = TrainingOptions.OptimizerKind.allCases.map(\.rawValue)

    static func register(_ r: Registrar) {
        r.add("cosine", [Parameter("max", .number, doc: "starting (peak) learning rate"), Parameter("min", .number, doc: "final learning rate"),
                         Parameter("warmup", .integer, default: 0, doc: "steps of linear rise from min to max before the decay")],
              returns: "record", doc: "A cosine learning-rate schedule from max down to min over the whole run, per step (the paper: 1e-5 to 1e-6), optionally after a linear warm-up.",
              example: "train(model, data, lr: cosine(1e-3, 1e-5, warmup: 50))") { a in
            .record(LodeRecord([("schedule", "cosine"), ("max", .number(try a.number("max"))), ("min", .number(try a.number("min"))),
                                ("warmup", .number(Double(try a.integer("warmup"))))]))
        }
        r.add("train", trainParameters, returns: "history",
              doc: "Trains any model — a built-in one or one built from blocks — on labelled windows: the optimiser (Adam, AdamW or SGD with momentum), learning-rate schedule, weight decay and loss (cross-entropy with optional class weights and label smoothing) are options, or `step:` is a training step of your own. Progress is shown as it goes and each epoch's figures printed; with validation data (a split dataset) the best epoch's weights (by validation AUC) are kept. The model learns its input contract (channels, window size, layer names) from the data. Interrupting stops within a batch, keeps the best epoch's weights and the history (model.history, marked \"interrupted\"); `resume(model, data)` continues.",
              example: "fit = train(model, data, epochs: 20, lr: cosine(1e-3, 1e-5), optimizer: \"adamw\", weight_decay: 1e-4)") { a in
            let object = try a.typed("model", ModelObject.self, "a model")
            let data = try a.typed("data", DatasetObject.self, "a dataset")
            let options = try trainingOptions(a, data: data)
            try adoptContract(object.module, data.data, a)
            let keep = try a.string("keep")
            guard keep == "best" || keep == "last" else { throw a.failure("keep is \"\(keep)\"", hint: "choose \"best\" or \"last\"") }
            let trainer = try Trainer(model: object.module, options: options)
            return try run(trainer, object: object, data: data, a, keepBest: keep == "best")
        }
        r.add("resume", [Parameter("model", .object("model"), doc: "the model being trained (built again with the same architecture when resuming from a file)"),
                         Parameter("data", .object("dataset"), doc: "the same dataset"),
                         Parameter("checkpoint", .optional(.string), default: .nil, doc: "a training checkpoint written by train(checkpoint:); nil continues this session's interrupted run"),
                         Parameter("epochs", .optional(.integer), default: .nil, doc: "a new total number of epochs (to extend the run)"),
                         Parameter("step", .optional(.function), default: .nil, doc: "the training step, when the run used one")],
              returns: "history",
              doc: "Continues a training run exactly where it stopped — the same weights, optimiser state, batch order, history and position: an interrupted run of this session, or a checkpoint file (train(checkpoint:) writes one after every epoch) into a freshly built model of the same architecture.",
              example: "fit = resume(model, data, checkpoint: \"run.safetensors\", epochs: 60)") { a in
            let object = try a.typed("model", ModelObject.self, "a model")
            let data = try a.typed("data", DatasetObject.self, "a dataset")
            let epochs = try a.optionalInteger("epochs")
            let trainer: Trainer
            if let path = try a.optionalString("checkpoint") {
                trainer = try Trainer.resume(model: object.module, from: path, epochs: epochs)
            } else {
                guard let previous = object.trainer else {
                    throw a.failure("this model has no interrupted run to resume", hint: "give checkpoint: the file train(checkpoint:) wrote")
                }
                if let epochs {
                    // A longer run keeps the state of the one so far (written and read back exactly).
                    let path = NSTemporaryDirectory() + "lode-resume-\(ProcessInfo.processInfo.processIdentifier).safetensors"
                    defer { try? FileManager.default.removeItem(atPath: path) }
                    try previous.saveTrainingCheckpoint(path: path)
                    trainer = try Trainer.resume(model: object.module, from: path, epochs: epochs)
                } else {
                    trainer = previous
                }
            }
            return try run(trainer, object: object, data: data, a)
        }
        registerStepCommands(r)
    }

    static var trainParameters: [Parameter] {
        [Parameter("model", .object("model"), doc: "any model: ssgsnet(), resnet(), a sequential(...) or block(...) of your own"),
         Parameter("data", .object("dataset"), doc: "labelled windows; a split dataset validates on data.val after each epoch"),
         Parameter("epochs", .integer, default: 50, doc: "passes over the training windows (at least 1)"),
         Parameter("batch", .integer, default: 32, doc: "windows per step"),
         Parameter("lr", .oneOf([.number, .record]), default: 1e-5, doc: "a constant rate or cosine(max, min, warmup:)"),
         Parameter("optimizer", .string, default: "adam", doc: "\"adam\", \"adamw\" (decoupled weight decay) or \"sgd\" (with momentum)"),
         Parameter("weight_decay", .number, default: 0, doc: "L2 penalty (adam, sgd) or decoupled decay (adamw)"),
         Parameter("momentum", .number, default: 0.9, doc: "SGD momentum"),
         Parameter("label_smoothing", .number, default: 0, doc: "cross-entropy target smoothing in [0, 1)"),
         Parameter("class_weights", .optional(.oneOf([.list, .string])), default: .nil, doc: "a weight per class, or \"balanced\" (n / (classes · count) from the training labels)"),
         Parameter("step", .optional(.function), default: .nil, doc: "fn(model, x, labels, optimizer) doing one step itself: loss, backward(loss), optimizer_step(optimizer); returns the loss (or {loss:, logits:})"),
         Parameter("seed", .integer, default: 0, doc: "seed of the batch order"),
         Parameter("patience", .optional(.integer), default: .nil, doc: "stop after this many epochs without a better validation AUC"),
         Parameter("checkpoint", .optional(.string), default: .nil, doc: "a training checkpoint written after every epoch (resume(checkpoint:) continues from it)"),
         Parameter("best", .optional(.string), default: .nil, doc: "where the best epoch's weights are written (load_weights reads them)"),
         Parameter("keep", .string, default: "best", doc: "the weights the model ends with when validating: \"best\" (the best epoch's) or \"last\" (the last epoch's, so the validation AUC is not chosen on the validation windows)")]
    }

    /// The options the arguments give.
    static func trainingOptions(_ a: Arguments, data: DatasetObject) throws -> TrainingOptions {
        var o = TrainingOptions()
        o.epochs = try a.integer("epochs")
        guard o.epochs >= 1 else { throw a.failure("epochs is \(o.epochs); train at least one epoch") }
        o.batchSize = try a.integer("batch")
        guard o.batchSize >= 1 else { throw a.failure("batch is \(o.batchSize); it must be at least 1") }
        o.seed = try a.seed()
        o.earlyStoppingPatience = try a.optionalInteger("patience")
        o.checkpointPath = try a.optionalString("checkpoint")
        o.bestCheckpointPath = try a.optionalString("best")
        let name = try a.string("optimizer")
        guard let kind = TrainingOptions.OptimizerKind(rawValue: name) else {
            throw a.failure("unknown optimizer '\(name)'", hint: "choose " + optimizers.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        o.optimizer = kind
        o.weightDecay = Float(try a.number("weight_decay"))
        o.momentum = Float(try a.number("momentum"))
        o.labelSmoothing = Float(try a.number("label_smoothing"))
        switch a["lr"] {
        case .number(let rate):
            o.schedule = .constant
            o.maximumLearningRate = Float(rate)
            o.minimumLearningRate = Float(rate)
        case .record(let record):
            guard let high = record["max"]?.numberValue, let low = record["min"]?.numberValue else {
                throw a.failure("lr must be a number or cosine(max, min)")
            }
            let warmup = Int(record["warmup"]?.numberValue ?? 0)
            o.schedule = warmup > 0 ? .warmupCosine : .cosine
            o.warmupSteps = warmup
            o.maximumLearningRate = Float(high)
            o.minimumLearningRate = Float(low)
        default: throw a.failure("lr must be a number or cosine(max, min)")
        }
        switch a["class_weights"] {
        case .nil: break
        case .string("balanced"):
            let labels = data.split.map { $0.train.map { data.data.labels[$0] } } ?? data.data.labels
            let classes = max(2, (labels.max() ?? 0) + 1)
            o.classWeights = (0..<classes).map { c in
                let count = labels.filter { $0 == c }.count
                return count == 0 ? 0 : Float(labels.count) / Float(classes * count)
            }
        case .string(let other): throw a.failure("class_weights \"\(other)\" is not known", hint: "give a list of numbers or \"balanced\"")
        default: o.classWeights = try a.numbers("class_weights").map(Float.init)
        }
        do { try o.validate() } catch { throw a.failure("\(error)") }
        return o
    }

    /// A model without a contract takes the data's (channels, window, layer names); one with a
    /// contract must accept the data.
    static func adoptContract(_ model: Module, _ data: Dataset, _ a: Arguments) throws {
        let classes = max(2, (data.labels.max() ?? 0) + 1)
        let given = InputContract(channels: data.channels, window: data.size, classes: classes, layerNames: data.layerNames)
        guard var contract = model.contract else {
            model.contract = given
            return
        }
        guard contract.channels == given.channels, contract.window == given.window else {
            throw a.failure("the windows are \(given.channels) layers of \(given.window)×\(given.window) but \(model.displayName) takes \(contract.described)")
        }
        if let names = contract.layerNames, names != data.layerNames {
            throw a.failure("the windows' layers (\(data.layerNames.joined(separator: ", "))) are not the ones the model learnt (\(names.joined(separator: ", ")))")
        }
        contract.layerNames = data.layerNames
        model.contract = contract
    }

    /// Runs (or continues) a trainer, keeping it on the model object for `resume`.
    static func run(_ trainer: Trainer, object: ModelObject, data: DatasetObject, _ a: Arguments, keepBest: Bool = true) throws -> LodeValue {
        let (training, validation): (Dataset, Dataset?)
        if let split = data.split {
            training = data.data.subset(split.train)
            validation = data.data.subset(split.validation)
        } else {
            training = data.data
            validation = nil
            WorkMonitor.warn("the dataset is not split, so there is no validation: every epoch's weights are kept and no AUC is measured (split(data, 0.2) first to validate)")
        }
        if !a.isNil("step") { trainer.customStep = try scriptedStep(a["step"], model: object, a) }
        let name = object.module.displayName
        let observer = TrainingProgress(arguments: a, trainer: trainer, epochs: trainer.options.epochs, name: name)
        trainer.observer = observer
        object.trainer = trainer
        var history: TrainingHistory
        do {
            history = try trainer.fit(train: try WindowDataset(training), validation: try validation.map { try WindowDataset($0) })
        } catch let error as LodeError where error.kind == .interrupted {
            // The forward pass of a model written in Lode stops at the interrupt itself, before
            // the optimiser step: the state is that of the last finished step.
            history = trainer.history
            history.status = .interrupted
        }
        if keepBest, validation != nil, trainer.hasBestState { try trainer.restoreBest() }
        object.history = history
        a.context.progress(ProgressEvent(fraction: 1, message: "train \(name)", finished: true))
        if history.status == .interrupted {
            let at = "epoch \(trainer.position.epoch + 1), step \(trainer.position.step)"
            let kept = keepBest && validation != nil && trainer.hasBestState
                ? "kept the best epoch's weights (epoch \(history.bestEpoch ?? 0), val AUC \(formatted(history.bestValidationAUC ?? .nan)))"
                : "kept the weights of the last step"
            a.context.output.stream(.stderr, text: "train \(name): interrupted at \(at); \(kept); the history is model.history (status \"interrupted\"); resume(model, data) continues the run\n")
            throw LodeError(.interrupted, "training interrupted at \(at)", at: a.context.location,
                            hint: "the model keeps the \(keepBest && validation != nil && trainer.hasBestState ? "best epoch's" : "last") weights and model.history; resume(model, data) continues")
        } else {
            object.trainer = nil
        }
        return .object(HistoryObject(history))
    }

    /// A training step written in Lode as the trainer's step.
    static func scriptedStep(_ function: LodeValue, model: ModelObject, _ a: Arguments) throws -> TrainingStep {
        let context = a.context
        return { x, labels, optimizer in
            let result = try context.call(function, [.object(model), .object(TensorObject(x)), .list(labels.map { .number(Double($0)) }),
                                                     .object(OptimizerObject(optimizer))])
            switch result {
            case .object(let t as TensorObject) where t.tensor.count == 1: return (t.tensor.scalars[0], nil)
            case .number(let n): return (Float(n), nil)
            case .record(let record):
                guard case .object(let loss as TensorObject)? = record["loss"], loss.tensor.count == 1 else {
                    throw LodeError(.type, "the training step's record must hold loss: a one-element tensor", at: context.location)
                }
                var logits: Tensor?
                if case .object(let l as TensorObject)? = record["logits"] { logits = l.tensor }
                return (loss.tensor.scalars[0], logits)
            default:
                throw LodeError(.type, "the training step must return its loss (a one-element tensor) or {loss:, logits:}, got \(result.described)",
                                at: context.location)
            }
        }
    }

    static func registerStepCommands(_ r: Registrar) {
        r.add("cross_entropy", [Parameter("logits", .object("tensor"), doc: "the model's output [N, classes]"),
                                Parameter("labels", .list, doc: "the class of each window"),
                                Parameter("class_weights", .optional(.list), default: .nil, doc: "a weight per class"),
                                Parameter("label_smoothing", .number, default: 0, doc: "target smoothing in [0, 1)")],
              returns: "tensor", doc: "Mean cross-entropy of logits against class labels (PyTorch's F.cross_entropy with weight and label_smoothing); recorded for backward().",
              example: "l = cross_entropy(model(x), labels, label_smoothing: 0.1)") { a in
            let logits = try a.typed("logits", TensorObject.self, "a tensor").tensor
            let labels = try a.sizes("labels")
            let weights = a.isNil("class_weights") ? nil : try a.numbers("class_weights").map(Float.init)
            return .object(TensorObject(try crossEntropy(logits: logits, labels: labels, classWeights: weights,
                                                         labelSmoothing: Float(try a.number("label_smoothing")))))
        }
        r.add("backward", [Parameter("loss", .object("tensor"), doc: "a one-element tensor computed from the model's parameters")],
              returns: "nil", doc: "Backpropagates: adds the gradient of the loss to every parameter it depends on (the trainer clears gradients before each step).",
              example: "backward(l)") { a in
            let loss = try a.typed("loss", TensorObject.self, "a tensor").tensor
            guard loss.count == 1 else { throw a.failure("the loss must have one element, got shape \(loss.shape)") }
            try loss.backward()
            return .nil
        }
        r.add("optimizer_step", [Parameter("optimizer", .object("optimizer"), doc: "the optimiser a training step is given")],
              returns: "nil", doc: "Applies one optimiser update from the current gradients.", example: "optimizer_step(optimizer)") { a in
            try a.typed("optimizer", OptimizerObject.self, "an optimizer").optimizer.step()
            return .nil
        }
        r.add("zero_grad", [Parameter("optimizer", .object("optimizer"), doc: "an optimiser")],
              returns: "nil", doc: "Clears the gradients of the optimiser's parameters (for several backward passes in one step).", example: "zero_grad(optimizer)") { a in
            try a.typed("optimizer", OptimizerObject.self, "an optimizer").optimizer.zeroGrad()
            return .nil
        }
    }
}

/// The optimiser of a training run, handed to a training step written in Lode.
public final class OptimizerObject: LodeObject {
    public let optimizer: StatefulOptimizer
    public init(_ optimizer: StatefulOptimizer) { self.optimizer = optimizer }

    public var typeName: String { "optimizer" }
    public var summary: String {
        "optimizer \(type(of: optimizer)) lr \(formatted(Double(optimizer.learningRate))), step \(optimizer.stepCount), \(optimizer.parameters.count) parameter tensors"
    }
    public var memberNames: [String] { ["lr", "steps"] }
    public func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "lr": return .number(Double(optimizer.learningRate))
        case "steps": return .number(Double(optimizer.stepCount))
        default: return nil
        }
    }
}
