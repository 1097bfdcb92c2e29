/// Parameter initialisers with PyTorch's default distributions, so a fresh Lode model starts
/// like a fresh PyTorch one (the values differ; the distributions match).
public enum Initializer {
    /// fan_in of a weight: in-features for Linear [out, in], in-channels·kh·kw for Conv [O, C, kh, kw].
    public static func fanIn(_ shape: [Int]) -> Int { shape.count < 2 ? max(shape.first ?? 1, 1) : shape.dropFirst().reduce(1, *) }

    /// Every size of a trained tensor must be positive and the whole must fit in memory:
    /// checked before anything is allocated or any fan-in is multiplied out.
    static func checkSizes(_ shape: [Int], what: String) throws {
        if let bad = shape.first(where: { $0 < 1 }) {
            throw TensorError(op: what, "every size must be at least 1, got \(bad) in shape \(shape)")
        }
        try MemoryBudget.require(elements: shape.reduce(1.0) { $0 * Double($1) },
                                 what: "a \(what) of shape \(shape)",
                                 change: "use fewer channels or features")
    }

    /// kaiming_uniform_(a: √5), PyTorch's default for Linear and Conv weights:
    /// U(−b, b) with b = gain·√(3/fan_in), gain = √(2/(1+a²)) — i.e. b = 1/√fan_in.
    public static func kaimingUniform(_ shape: [Int], a: Float = Float(5).squareRoot(), using rng: inout RandomStream) throws -> Tensor {
        try checkSizes(shape, what: "weight")
        let gain = (2 / (1 + a * a)).squareRoot()
        let bound = gain * (3 / Float(fanIn(shape))).squareRoot()
        return try Tensor.uniform(shape, low: -bound, high: bound, using: &rng)
    }

    /// PyTorch's default bias: U(−1/√fan_in, 1/√fan_in) with the weight's fan_in.
    public static func bias(_ count: Int, fanIn: Int, using rng: inout RandomStream) throws -> Tensor {
        try checkSizes([count], what: "bias")
        let bound = 1 / Float(max(fanIn, 1)).squareRoot()
        return try Tensor.uniform([count], low: -bound, high: bound, using: &rng)
    }

    /// trunc_normal_(std: 0.02) as used for ViT class token and position embeddings
    /// (PyTorch truncates at the absolute bounds ±2).
    public static func truncatedNormal(_ shape: [Int], standardDeviation: Float = 0.02, using rng: inout RandomStream) throws -> Tensor {
        try checkSizes(shape, what: "parameter")
        guard standardDeviation.isFinite, standardDeviation >= 0 else {
            throw TensorError(op: "parameter", "the standard deviation must be a non-negative number, got \(standardDeviation)")
        }
        return try Tensor.truncatedNormal(shape, standardDeviation: standardDeviation, low: -2, high: 2, using: &rng)
    }
}
