import LodeTensor

/// max(x, 0).
public final class ReLU: Module {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Tensor) throws -> Tensor { x.relu() }
}

/// The exact (erf) GELU.
public final class GELU: Module {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Tensor) throws -> Tensor { x.gelu() }
}

/// 1 / (1 + e^−x).
public final class Sigmoid: Module {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Tensor) throws -> Tensor { x.sigmoid() }
}
