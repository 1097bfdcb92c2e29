import XCTest
@testable import LodeTensor

final class AutodiffTests: XCTestCase {
    func testGradientsAccumulateAcrossBackwardCalls() throws {
        let x = tensor([3], [1, 2, 3])
        x.requiresGrad = true
        try (x * x).sum().backward()
        XCTAssertEqual(x.grad?.scalars, [2, 4, 6])
        try (x * 3).sum().backward()
        XCTAssertEqual(x.grad?.scalars, [5, 7, 9])
        x.zeroGrad()
        XCTAssertNil(x.grad)
    }

    func testSharedSubexpressionSumsBothPaths() throws {
        // y = x·x + x, reusing x three times: dy/dx = 2x + 1.
        let x = tensor([2], [0.5, -2])
        x.requiresGrad = true
        let r = try x.reshaped([2])  // a view sharing storage must not be corrupted by accumulation
        try (try (x * r) + x).sum().backward()
        XCTAssertEqual(x.grad?.scalars, [2, -3])
        XCTAssertEqual(x.scalars, [0.5, -2])
    }

    func testNoGradRecordsNothing() throws {
        let x = tensor([2], [1, 2])
        x.requiresGrad = true
        let y = try noGrad { try (x * x).sum() }
        XCTAssertFalse(y.tracksGradient)
        XCTAssertThrowsError(try y.backward())
        XCTAssertNil(x.grad)
        XCTAssertTrue(isGradientRecordingEnabled)
    }

    func testConstantsGetNoGradientAndGraphIsFreed() throws {
        let w = tensor([2, 2], [1, 2, 3, 4])
        w.requiresGrad = true
        let c = tensor([2, 2], [1, 1, 1, 1])
        let hidden = try matmul(c, w).relu()
        let loss = try hidden.sum()
        weak var weakHidden = hidden
        XCTAssertTrue(loss.tracksGradient)
        try loss.backward()
        XCTAssertNil(c.grad)
        XCTAssertEqual(w.grad?.scalars, [2, 2, 2, 2])
        XCTAssertFalse(loss.tracksGradient, "the tape is dropped after backward")
        XCTAssertFalse(hidden.tracksGradient)
        _ = weakHidden
    }

    func testBackwardNeedsScalarOrMatchingGradient() throws {
        let x = tensor([2], [1, 2])
        x.requiresGrad = true
        let y = x * 2
        XCTAssertThrowsError(try y.backward()) { XCTAssertTrue("\($0)".contains("backward")) }
        XCTAssertThrowsError(try y.backward(gradient: tensor([3], [1, 1, 1])))
        try y.backward(gradient: tensor([2], [1, -1]))
        XCTAssertEqual(x.grad?.scalars, [2, -2])
    }

    func testDeepChainDoesNotOverflowTheStack() throws {
        let x = tensor([1], [1])
        x.requiresGrad = true
        var y = x
        for _ in 0..<20000 { y = y * 1.0001 }
        try y.sum().backward()
        XCTAssertEqual(x.grad?.item ?? 0, Float(Foundation.pow(1.0001, 20000.0)), accuracy: 1e-2)
    }

    func testResultsDoNotRetainThemselves() throws {
        // A recorded result that is never differentiated must be freed (no cycle through its node).
        let x = tensor([3], [1, 2, 3])
        x.requiresGrad = true
        weak var weakY: Tensor?
        do {
            let y = x.exp().sigmoid()
            weakY = y
            XCTAssertNotNil(weakY)
        }
        XCTAssertNil(weakY)
    }
}

import Foundation

final class ThreadingTests: XCTestCase {
    /// A no-grad scope on another thread must not switch recording off here.
    func testNoGradIsPerThread() throws {
        let entered = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            noGrad {
                entered.signal()
                release.wait()
            }
        }
        entered.wait()
        let x = tensor([2], [1, 2])
        x.requiresGrad = true
        let y = try (x * x).sum()
        release.signal()
        XCTAssertTrue(y.tracksGradient)
        try y.backward()
        XCTAssertEqual(x.grad?.scalars, [2, 4])
    }

    func testStackBuildsABatch() throws {
        let a = tensor([2], [1, 2]), b = tensor([2], [3, 4])
        XCTAssertEqual(try Tensor.stacked([a, b]).shape, [2, 2])
        XCTAssertEqual(try Tensor.stacked([a, b], axis: 1).scalars, [1, 3, 2, 4])
        XCTAssertThrowsError(try Tensor.stacked([a, tensor([1], [0])]))
    }
}
