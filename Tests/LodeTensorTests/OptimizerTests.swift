import XCTest
@testable import LodeTensor

/// Three optimiser steps on L = Σ(0.5·c·p² + d·p) against PyTorch 2.x; the expected values were
/// printed by scripts/optimizer_reference.py and are stored here so the test needs no torch.
final class OptimizerTests: XCTestCase {
    let sgdMomentum: [Float] = [0.1916000247001648, 0.06629997491836548, 1.355299949645996, -0.027800003066658974]
    let sgdNesterovDecay: [Float] = [0.09378723055124283, 0.2998993992805481, 1.1023812294006348, -0.034972138702869415]
    let sgdPlain: [Float] = [0.33740001916885376, -0.5412000417709351, 1.6577000617980957, 0.034299999475479126]
    let adam: [Float] = [0.20354165136814117, -0.9010399580001831, 1.7004978656768799, -0.07443756610155106]
    let adamL2: [Float] = [0.20363479852676392, -0.9010474681854248, 1.7005152702331543, -0.07443755865097046]
    let adamW: [Float] = [0.19195659458637238, -0.868554949760437, 1.6442070007324219, -0.07339280843734741]
    let cosine: [Double] = [1e-05, 9.779754323328192e-06, 9.140576474687263e-06, 8.145033635316128e-06, 6.890576474687263e-06,
                            5.5e-06, 4.109423525312737e-06, 2.8549663646838717e-06, 1.859423525312737e-06, 1.220245676671809e-06, 1e-06]
    let stepDecay: [Double] = [1e-05, 1e-05, 1e-05, 5e-06, 5e-06, 5e-06, 2.5e-06, 2.5e-06]

    private func threeSteps(_ make: ([Tensor]) -> Optimizer) throws -> [Float] {
        let p = tensor([2, 2], [0.5, -1.2, 2.0, 0.1])
        p.requiresGrad = true
        let c = tensor([2, 2], [1.0, 2.0, 0.5, 3.0]), d = tensor([2, 2], [0.1, -0.3, 0.2, 0.0])
        let opt = make([p])
        for _ in 0..<3 {
            opt.zeroGrad()
            try (try (c * p * p * 0.5) + (try d * p)).sum().backward()
            opt.step()
        }
        return p.scalars
    }

    private func assertMatches(_ got: [Float], _ want: [Float], _ name: String) {
        for (g, w) in zip(got, want) { XCTAssertEqual(g, w, accuracy: 2e-6, name) }
    }

    func testSGDMatchesPyTorch() throws {
        assertMatches(try threeSteps { SGD(parameters: $0, learningRate: 0.1) }, sgdPlain, "sgd")
        assertMatches(try threeSteps { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9) }, sgdMomentum, "momentum")
        assertMatches(try threeSteps { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true) },
                      sgdNesterovDecay, "nesterov")
    }

    func testAdamMatchesPyTorch() throws {
        assertMatches(try threeSteps { Adam(parameters: $0, learningRate: 0.1) }, adam, "adam")
        assertMatches(try threeSteps { Adam(parameters: $0, learningRate: 0.1, weightDecay: 0.1) }, adamL2, "adam L2")
        assertMatches(try threeSteps { AdamW(parameters: $0, learningRate: 0.1, weightDecay: 0.1) }, adamW, "adamW")
    }

    /// The first Adam step by hand: m̂ = g, v̂ = g², so every weight moves by lr·g/(|g|+ε) ≈ ±lr.
    func testAdamFirstStepByHand() throws {
        let p = tensor([3], [1, -2, 3])
        p.requiresGrad = true
        p.grad = tensor([3], [0.5, -4, 1e-3])
        Adam(parameters: [p], learningRate: 0.01).step()
        XCTAssertEqual(p.scalars[0], 1 - 0.01 * 0.5 / (0.5 + 1e-8), accuracy: 1e-7)
        XCTAssertEqual(p.scalars[1], -2 + 0.01, accuracy: 1e-7)
        XCTAssertEqual(p.scalars[2], 3 - 0.01 * 1e-3 / (1e-3 + 1e-8), accuracy: 1e-6)
    }

    func testSchedulesMatchPyTorch() {
        let cos = CosineSchedule(maximum: 1e-5, minimum: 1e-6, steps: 10)
        for (i, want) in cosine.enumerated() { XCTAssertEqual(Double(cos.learningRate(step: i)), want, accuracy: 1e-11) }
        let decay = StepDecaySchedule(initial: 1e-5, every: 3, factor: 0.5)
        for (i, want) in stepDecay.enumerated() { XCTAssertEqual(Double(decay.learningRate(step: i)), want, accuracy: 1e-11) }
        XCTAssertEqual(ConstantSchedule(3e-4).learningRate(step: 1000), 3e-4)
    }

    func testParametersWithoutGradientAreLeftAlone() {
        let p = tensor([2], [1, 2])
        p.requiresGrad = true
        let opt = Adam(parameters: [p], learningRate: 0.1)
        opt.step()
        XCTAssertEqual(p.scalars, [1, 2])
    }
}
