import LodeTensor

/// Marks a freshly initialised tensor as trained.
func trained(_ t: Tensor) -> Tensor {
    t.requiresGrad = true
    return t
}

/// y = x·Wᵀ + b over the last axis; weight [outputFeatures, inputFeatures] (PyTorch layout and
/// default initialisation).
public final class Linear: Module {
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inputFeatures: Int, _ outputFeatures: Int, bias: Bool = true, rng: inout RandomStream) throws {
        weight = trained(try Initializer.kaimingUniform([outputFeatures, inputFeatures], using: &rng))
        self.bias = bias ? trained(try Initializer.bias(outputFeatures, fanIn: inputFeatures, using: &rng)) : nil
        super.init()
    }

    public var inputFeatures: Int { weight.shape[1] }
    public var outputFeatures: Int { weight.shape[0] }

    public override var ownParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
    public override var headline: String { "Linear(\(inputFeatures) → \(outputFeatures)\(bias == nil ? ", no bias" : ""))" }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard x.shape.last == inputFeatures else {
            throw NNError("\(headline): input has \(x.shape.last ?? 0) features (shape \(x.shape)), expected \(inputFeatures)")
        }
        return try linear(x, weight: weight, bias: bias)
    }
}
