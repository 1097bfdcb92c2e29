import Foundation
import XCTest
@testable import LodeLibrary
import LodeGeo
import LodeScript
import LodeTensor

/// Asks the session to stop at the first progress report of one step that `trigger` accepts,
/// as a user pressing Ctrl-C while the step runs, and records the time.
private final class InterruptAtProgress: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private weak var session: Session?
    private let trigger: (ProgressEvent) -> Bool
    private(set) var requestedAt: Date?
    private(set) var finishedAfterRequest = false

    init(_ session: Session, trigger: @escaping (ProgressEvent) -> Bool) {
        self.session = session
        self.trigger = trigger
    }

    func stream(_ name: StreamName, text: String) {}
    func display(_ bundle: DisplayBundle, displayID: String?, update: Bool) {}
    func clearOutput(wait: Bool) {}
    func readInput(prompt: String, password: Bool) throws -> String { throw LodeError(.io, "no input") }
    func progress(_ event: ProgressEvent) {
        let request: Bool = lock.withLock {
            if requestedAt != nil, event.finished { finishedAfterRequest = true }
            guard requestedAt == nil, !event.finished, trigger(event) else { return false }
            requestedAt = Date()
            return true
        }
        if request { session?.requestInterrupt() }
    }
}

/// Long geodata and model steps stop within a second of an interrupt, as `Interrupted`, with
/// the session's variables kept (issue #14, item 5).
final class InterruptTests: XCTestCase {
    /// Runs `code`, interrupting at the first progress report `trigger` accepts; checks the
    /// step stopped itself (its message says where), quickly, and that nothing else changed.
    func assertInterrupted(_ session: Session, _ code: String, assigning name: String, message: String,
                           trigger: @escaping (ProgressEvent) -> Bool, file: StaticString = #filePath, line: UInt = #line) {
        session.run("kept = 7")
        let output = InterruptAtProgress(session, trigger: trigger)
        let outcome = session.execute(code, cellName: "<test>", output: output)
        let returned = Date()
        guard let requested = output.requestedAt else { return XCTFail("no progress report to interrupt at", file: file, line: line) }
        XCTAssertLessThan(returned.timeIntervalSince(requested), 1.0, "took too long to stop", file: file, line: line)
        guard case .error(let kind, let text, _) = outcome else { return XCTFail("\(code) was not interrupted", file: file, line: line) }
        XCTAssertEqual(kind, "Interrupted", text, file: file, line: line)
        XCTAssertTrue(text.contains(message), text, file: file, line: line)
        XCTAssertFalse(output.finishedAfterRequest, "the step ran to its end", file: file, line: line)
        XCTAssertNil(session.value(of: name), file: file, line: line)
        XCTAssertEqual(session.run("kept + 1")?.plainText, "8", file: file, line: line)
    }

    func testKMeansStopsWithinASecond() throws {
        let session = librarySession()
        // 4 million cells of seeded noise: k-means with 10 clusters iterates for seconds.
        session.registry.register("noise_raster", doc: "test data") { _ in
            var random = RandomStream(seed: 7)
            let grid = try GridSpec(west: 0, north: 2000, cellSize: 1, rows: 2000, cols: 2000)
            return .object(RasterObject(try Raster(grid: grid, name: "noise", values: (0..<grid.cellCount).map { _ in Float(random.nextUnit()) })))
        }
        session.run("noise = noise_raster()")
        assertInterrupted(session, "clusters = kmeans(noise, k: 10, seed: 1)", assigning: "clusters",
                          message: "kmeans(): k-means interrupted at", trigger: { $0.message == "k-means" })
        XCTAssertNotNil(session.object("noise", as: RasterObject.self))
    }

    func testKrigingStopsWithinASecond() throws {
        let session = librarySession()
        session.run("survey = synthetic_survey(preset: \"small\", seed: 1)\nfine = grid(survey.extent, cell: 20)")
        assertInterrupted(session, "k = kriging(survey.samples, \"Cu\", fine, neighbours: 16)", assigning: "k",
                          message: "kriging(): kriging 'Cu' onto", trigger: { $0.message.hasPrefix("kriging") && ($0.fraction ?? 0) > 0 })
    }

    func testWindowsAndAugmentationStopWithinASecond() throws {
        let session = librarySession()
        session.run(ModelBindingTests.pipeline)
        assertInterrupted(session, "w = windows(s, survey.deposits, neg, size: 16)", assigning: "w",
                          message: "windows(): windows interrupted at", trigger: { $0.message == "windows" })
        // 2 × 30 000 windows of 4 × 16 × 16 cells: stopped once the copies are under way.
        assertInterrupted(session, "big = augment(raw, per_class: 30000, seed: 2)", assigning: "big",
                          message: "augment(): augment interrupted at", trigger: { $0.message == "augment" && ($0.fraction ?? 0) > 0 })
        XCTAssertEqual(session.run("data.count")?.plainText, "48")
    }

    /// predict_map and shap check for an interrupt between batches of windows; stopping is an
    /// `Interrupted`, not a failed command, and the trained model is kept.
    func testPredictMapAndSHAPInterruptionsAreInterrupted() throws {
        let session = librarySession()
        session.run(ModelBindingTests.pipeline + "\nfit = train(model, data, epochs: 1, batch: 16)")
        assertInterrupted(session, "prob = predict_map(model, s, stride: 1, batch: 16)", assigning: "prob",
                          message: "predict_map(): predict_map: interrupted after", trigger: { $0.message == "predict_map" })
        assertInterrupted(session, "ex = shap(model, data.val, method: \"permutation\", max_evals: 64)", assigning: "ex",
                          message: "shap(): shap: interrupted after", trigger: { $0.message == "shap" })
        XCTAssertNotNil(session.object("model", as: ModelObject.self)?.module.contract)
    }
}
