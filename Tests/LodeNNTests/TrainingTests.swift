import Foundation
import XCTest
import LodeTensor
@testable import LodeNN

final class TrainingTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lode-nn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Records what the trainer reports.
    final class Recorder: TrainingObserver {
        var steps = 0, epochs: [EpochRecord] = [], checkpoints: [String] = []
        var onStep: ((Int) -> Void)?
        func training(_ event: TrainingEvent) {
            switch event {
            case .step: steps += 1; onStep?(steps)
            case .epochFinished(let r): epochs.append(r)
            case .checkpointWritten(let p): checkpoints.append(p)
            }
        }
    }

    func testTinySSGSNetLearnsASpatialPatternAcrossChannels() throws {
        let config = ModelConfig.tiny
        let train = try colocationTask(count: 320, config: config, seed: 1)
        let validation = try colocationTask(count: 160, config: config, seed: 2)
        var options = TrainingOptions()
        options.epochs = 10
        options.maximumLearningRate = 3e-3
        options.minimumLearningRate = 1e-4
        options.bestCheckpointPath = path("best.safetensors")
        let trainer = try Trainer(model: SSGSNet(config: config, seed: 3), options: options)
        let recorder = Recorder()
        trainer.observer = recorder
        let history = try trainer.fit(train: train, validation: validation)
        let aucs = history.epochs.compactMap(\.validationAUC)
        print("validation AUC by epoch: \(aucs.map { String(format: "%.3f", $0) })")
        XCTAssertEqual(history.status, .completed)
        XCTAssertEqual(history.epochs.count, 10)
        XCTAssertEqual(recorder.steps, 10 * 10)
        XCTAssertGreaterThanOrEqual(history.bestValidationAUC ?? 0, 0.95)
        XCTAssertLessThan(history.epochs.last!.trainLoss, history.epochs.first!.trainLoss)
        // The best checkpoint holds the best epoch's weights.
        let best = try loadModel(checkpoint: path("best.safetensors"))
        let auc = try evaluate(best, on: validation).auc ?? 0
        XCTAssertEqual(auc, history.bestValidationAUC ?? -1, accuracy: 1e-9)
    }

    func testCheckpointRoundTripGivesIdenticalPredictions() throws {
        let model = try SSGSNet(config: .tiny, seed: 5)
        let data = try colocationTask(count: 8, config: .tiny, seed: 6)
        model.train()
        _ = try model(data.windows)  // moves the BatchNorm running statistics away from their defaults
        let before = try predictProbabilities(model, windows: data.windows).scalars
        try model.saveCheckpoint(path: path("m.safetensors"))
        let loaded = try loadModel(checkpoint: path("m.safetensors"))
        XCTAssertEqual(try predictProbabilities(loaded, windows: data.windows).scalars, before)
        XCTAssertTrue(model.isTraining, "prediction restores the training mode")
    }

    func testCheckpointRoundTripInAFreshProcess() throws {
        let executableFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [Bundle.main.bundleURL, executableFolder, Bundle(for: Self.self).bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("lode").path }
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return XCTFail("the lode executable is not built next to the tests (looked at \(candidates))")
        }
        let model = try ResNet(config: .tiny, seed: 8)
        let data = try colocationTask(count: 6, config: .tiny, seed: 9)
        let expected = try predictProbabilities(model, windows: data.windows)
        try model.saveCheckpoint(path: path("r.safetensors"))
        try SafetensorsFile(tensors: ["windows": data.windows]).write(path: path("w.safetensors"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["predict", path("r.safetensors"), path("w.safetensors"), "--output", path("p.safetensors")]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let got = try SafetensorsFile.read(path: path("p.safetensors")).tensor("probabilities")
        XCTAssertEqual(got.shape, expected.shape)
        XCTAssertEqual(got.scalars, expected.scalars)
    }

    func testInterruptionAndResumeReproduceAnUninterruptedRun() throws {
        let config = ModelConfig.tiny
        let (train, validation, options) = try shortRun(trainingWindows: 40, dataSeed: 11, batch: 8, seed: 4)

        let straight = try Trainer(model: DualBranchNet(config: config, seed: 1), options: options)
        try straight.fit(train: train, validation: validation)

        let interrupted = try Trainer(model: DualBranchNet(config: config, seed: 1), options: options)
        let recorder = Recorder()
        recorder.onStep = { if $0 == 7 { interrupted.requestInterrupt() } }   // mid second epoch
        interrupted.observer = recorder
        let partial = try interrupted.fit(train: train, validation: validation)
        XCTAssertEqual(partial.status, .interrupted)
        XCTAssertEqual(partial.epochs.count, 1)
        XCTAssertEqual(interrupted.position.epoch, 1)
        XCTAssertEqual(interrupted.position.step, 2)
        try interrupted.saveTrainingCheckpoint(path: path("t.safetensors"))

        let resumed = try Trainer.resume(from: path("t.safetensors"))
        XCTAssertEqual(resumed.optimizer.stepCount, 7)
        let final = try resumed.fit(train: train, validation: validation)
        XCTAssertEqual(final.status, .completed)
        XCTAssertEqual(final.epochs.count, 2)
        for (a, b) in zip(final.epochs, straight.history.epochs) { XCTAssertEqual(a.validationAUC ?? -1, b.validationAUC ?? -2, accuracy: 1e-9) }
        XCTAssertEqual(final.epochs[1].trainLoss, straight.history.epochs[1].trainLoss, accuracy: 1e-6)
        // The same steps on the same batches from the same state give the same bits: any slip
        // in batch order, learning rate or Adam state would move weights by ~1e-4 (lr 1e-3).
        for ((k, a), (_, b)) in zip(resumed.model.stateDict(), straight.model.stateDict()) {
            XCTAssertEqual(a.scalars.map(\.bitPattern), b.scalars.map(\.bitPattern), k)
        }
    }

    /// Same seed, same numbers: two trainings of SSGSNet (every parallel kernel: convolutions,
    /// attention, normalisation, reductions) end with bit-identical weights and history.
    func testTheSameSeedTrainsTheSameWeights() throws {
        let config = ModelConfig.tiny
        let (train, validation, options) = try shortRun(trainingWindows: 48, dataSeed: 21, batch: 16, seed: 5)
        func run() throws -> Trainer {
            let trainer = try Trainer(model: SSGSNet(config: config, seed: 2), options: options)
            try trainer.fit(train: train, validation: validation)
            return trainer
        }
        let first = try run(), second = try run()
        XCTAssertEqual(first.history.epochs.map(\.trainLoss), second.history.epochs.map(\.trainLoss))
        for ((k, a), (_, b)) in zip(first.model.stateDict(), second.model.stateDict()) {
            XCTAssertEqual(a.scalars.map(\.bitPattern), b.scalars.map(\.bitPattern), k)
        }
    }

    /// 17 windows in batches of 16 would leave one window alone in the last batch, where batch
    /// norm has one value per channel: it joins the first batch, one step of 17 per epoch.
    func testALoneLastWindowJoinsThePreviousBatch() throws {
        let (train, validation, options) = try shortRun(trainingWindows: 17, dataSeed: 4, batch: 16, seed: 1)
        let trainer = try Trainer(model: SSGSNet(config: .tiny, seed: 2), options: options)
        let recorder = Recorder()
        trainer.observer = recorder
        try trainer.fit(train: train, validation: validation)
        XCTAssertEqual(recorder.steps, 2)
        XCTAssertEqual(trainer.history.epochs.count, 2)
        XCTAssertTrue(trainer.history.epochs.allSatisfy { $0.trainLoss.isFinite })
    }

    /// Two epochs on a small co-location task (16 validation windows), learning rate 1e-3.
    func shortRun(trainingWindows: Int, dataSeed: UInt64, batch: Int, seed: UInt64) throws
        -> (train: WindowDataset, validation: WindowDataset, options: TrainingOptions) {
        let train = try colocationTask(count: trainingWindows, config: .tiny, seed: dataSeed)
        let validation = try colocationTask(count: 16, config: .tiny, seed: dataSeed + 1)
        var options = TrainingOptions()
        options.epochs = 2
        options.batchSize = batch
        options.maximumLearningRate = 1e-3
        options.seed = seed
        return (train, validation, options)
    }

    func testCosineScheduleRunsFromMaximumToMinimum() throws {
        let trainer = try Trainer(model: DualBranchNet(config: .tiny), options: TrainingOptions())
        XCTAssertEqual(trainer.learningRate(step: 0, totalSteps: 101), 1e-5, accuracy: 1e-12)
        XCTAssertEqual(trainer.learningRate(step: 50, totalSteps: 101), 5.5e-6, accuracy: 1e-11)
        XCTAssertEqual(trainer.learningRate(step: 100, totalSteps: 101), 1e-6, accuracy: 1e-12)
    }

    func testEarlyStoppingStopsAfterPatienceWithoutImprovement() throws {
        let config = ModelConfig.tiny
        let train = try colocationTask(count: 16, config: config, seed: 1)
        var options = TrainingOptions()
        options.epochs = 20
        options.batchSize = 8
        options.schedule = .constant
        options.maximumLearningRate = 1e-9   // nothing changes, so AUC never improves after epoch 1
        options.minimumLearningRate = 0
        options.earlyStoppingPatience = 2
        let trainer = try Trainer(model: DualBranchNet(config: config, seed: 2), options: options)
        let h = try trainer.fit(train: train, validation: train)
        XCTAssertEqual(h.status, .earlyStopped)
        XCTAssertEqual(h.epochs.count, 3)
        XCTAssertEqual(h.bestEpoch, 1)
    }
}
