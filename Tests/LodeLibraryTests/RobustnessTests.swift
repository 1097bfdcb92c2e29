import Foundation
import XCTest
@testable import LodeLibrary
import LodeScript
import LodeGeo

/// A sink that several threads may use: the cell runs on one, the test watches from another.
private final class WatchedOutput: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var lastFraction = 0.0
    private var errors = ""

    var fraction: Double { lock.withLock { lastFraction } }
    var stderr: String { lock.withLock { errors } }

    func stream(_ name: StreamName, text: String) { if name == .stderr { lock.withLock { errors += text } } }
    func display(_ bundle: DisplayBundle, displayID: String?, update: Bool) {}
    func clearOutput(wait: Bool) {}
    func readInput(prompt: String, password: Bool) throws -> String { throw LodeError(.io, "no input") }
    func progress(_ event: ProgressEvent) {
        if let value = event.fraction, !event.finished { lock.withLock { lastFraction = value } }
    }
}

final class RobustnessTests: XCTestCase {
    /// A 4000×4000 IDW takes about 10 s on two cores; interrupted part way, it must stop within
    /// a second, as `Interrupted`, with every variable kept.
    func testInterruptingALongIDWReturnsWithinASecondAndKeepsTheSession() throws {
        let session = librarySession()
        session.run("survey = synthetic_survey(preset: \"small\", seed: 1)\ng = grid(survey.extent, cell: 10)\nkept = 7")
        let output = WatchedOutput()
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: ExecutionOutcome?
        Thread.detachNewThread {
            outcome = session.execute("geo = idw(survey.samples, [\"Au\"], g)", cellName: "<test>", output: output)
            finished.signal()
        }
        // Wait until the work has visibly started (progress above 2 %), then interrupt.
        let start = Date()
        while output.fraction < 0.02, Date().timeIntervalSince(start) < 60 { usleep(10_000) }
        XCTAssertGreaterThan(output.fraction, 0.0)
        let interruptedAt = Date()
        session.requestInterrupt()
        XCTAssertEqual(finished.wait(timeout: .now() + 30), .success)
        let latency = Date().timeIntervalSince(interruptedAt)
        XCTAssertLessThan(latency, 1.0, "idw took \(latency) s to stop")
        XCTAssertLessThan(output.fraction, 0.9, "the interrupt came too late to test anything")
        guard case .error(let name, let message, _)? = outcome else { return XCTFail("idw was not interrupted") }
        XCTAssertEqual(name, "Interrupted", message)
        XCTAssertEqual(session.value(of: "kept"), .number(7))
        XCTAssertNil(session.value(of: "geo"))
        XCTAssertEqual(session.run("kept + 1")?.plainText, "8")
    }

    /// zscore of a layer that is constant up to Float32 rounding gives zeros and a warning,
    /// not rounding noise blown up to ±4 sigma; a small real spread is still standardised.
    func testZscoreOfAConstantLayerWarnsAndGivesZeros() throws {
        let session = librarySession()
        session.run("survey = synthetic_survey(preset: \"small\", seed: 1)\ng = grid(survey.extent, cell: 1000)\nau = idw(survey.samples, [\"Au\"], g)[\"Au\"]")
        let output = CollectingOutput()
        // Au varies by tens of ppb: ×1e-9 it is a variation of ~1e-7 on 5, below Float32's resolution.
        session.run("flat = zscore(au * 1e-9 + 5)", output: output)
        XCTAssertTrue(output.stderr.contains("is constant"), output.stderr)
        let flat = try XCTUnwrap(session.object("flat", as: RasterObject.self)).raster
        XCTAssertEqual(Set(flat.values.filter { !$0.isNaN }), [0])
        let quiet = CollectingOutput()
        session.run("real = zscore(au * 1e-3 + 5)", output: quiet)
        XCTAssertEqual(quiet.stderr, "")
        // Independent check: population z-scores of the same values computed here in Double.
        let values = try XCTUnwrap(session.object("au", as: RasterObject.self)).raster.values
            .filter { !$0.isNaN }.map { Double(Float(Double($0) * 1e-3 + 5)) }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        let real = try XCTUnwrap(session.object("real", as: RasterObject.self)).raster.values.filter { !$0.isNaN }
        XCTAssertEqual(Double(real[0]), (values[0] - mean) / sd, accuracy: 2e-2)
        XCTAssertEqual(Double(real.max()!), (values.max()! - mean) / sd, accuracy: 2e-2)
    }

    /// Dividing a raster by zero is an error that names the raster; a divisor with some zero
    /// cells leaves those cells missing and the rest exact.
    func testRasterDivisionByZeroIsAnErrorNotAnEmptyLayer() throws {
        let session = librarySession()
        session.run("survey = synthetic_survey(preset: \"small\", seed: 1)\ng = grid(survey.extent, cell: 2000)\nau = idw(survey.samples, [\"Au\"], g)[\"Au\"]")
        let byNumber = try XCTUnwrap(session.failure("x = au / 0"))
        XCTAssertTrue(byNumber.contains("dividing raster 'Au' by zero"), byNumber)
        let byLayer = try XCTUnwrap(session.failure("y = au / (au * 0)"))
        XCTAssertTrue(byLayer.contains("leaves no valid cells"), byLayer)
        XCTAssertNotNil(session.object("au", as: RasterObject.self), "the session keeps its variables")
        session.run("half = au / 2")
        let au = try XCTUnwrap(session.object("au", as: RasterObject.self)).raster.values
        let half = try XCTUnwrap(session.object("half", as: RasterObject.self)).raster.values
        for (a, h) in zip(au, half) where !a.isNaN { XCTAssertEqual(h, a / 2) }
    }

    /// Sizes and ranges: errors that name the argument, never a trap.
    func testHostileSizesAreErrorsThatNameTheArgument() {
        let session = librarySession()
        let cases: [(String, String)] = [
            ("batchnorm(-2)", "argument 'channels' of batchnorm() must be from 1 to 1000000, got -2"),
            ("linear(-3, 2)", "argument 'input' of linear() must be at least 1, got -3"),
            ("linear(1000000, 1000000)", "which need 3.6 TiB"),
            ("conv2d(100000, 100000, 3)", "which need 335.3 GiB"),
            ("parameter([1000000, 1000000])", "use fewer channels or features"),
            ("parameter([1e20])", "must hold whole numbers, found 1e+20"),
            ("grid({west: 0, south: 0, east: 40000, north: 40000}, cell: 1e-20)", "use a larger cell size"),
            ("grid({west: 0, south: 0, east: 40000, north: 40000}, cell: 0)", "argument 'cell' of grid() must be above 0"),
            ("grid({west: 0, south: 0, east: 40000, north: 40000}, cell: sqrt(-1))", "must be a finite number"),
        ]
        for (code, expected) in cases {
            let failure = session.failure(code) ?? "(no error)"
            XCTAssertTrue(failure.contains(expected), "\(code):\n\(failure)")
        }
        XCTAssertEqual(session.run("1 + 1")?.plainText, "2")
    }
}
