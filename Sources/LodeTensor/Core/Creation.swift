extension Tensor {
    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, value: 0, requiresGrad: requiresGrad)
    }

    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, value: 1, requiresGrad: requiresGrad)
    }

    public static func full(_ shape: [Int], value: Float, requiresGrad: Bool = false) -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(repeating: value, count: ShapeMath.count(shape)),
               requiresGrad: requiresGrad)
    }

    public static func zeros(like t: Tensor) -> Tensor { zeros(t.shape) }

    /// start, start+step, … below end (as numpy.arange).
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) throws -> Tensor {
        guard step != 0, (end - start) / step >= 0 || end == start else {
            throw TensorError(op: "arange", "step \(step) never goes from \(start) to \(end)")
        }
        let n = Int(((end - start) / step).rounded(.up))
        let t = Tensor(uninitialized: [Swift.max(n, 0)])
        for i in 0..<Swift.max(n, 0) { t.pointer[i] = start + Float(i) * step }
        return t
    }
}
