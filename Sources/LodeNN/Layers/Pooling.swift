import LodeTensor

/// Max over kernelSize × kernelSize windows (stride defaults to the kernel size).
public final class MaxPool2d: Module {
    public let kernelSize: Int
    public let stride: Int

    public init(kernelSize: Int, stride: Int? = nil) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        super.init()
    }

    public override var headline: String { "MaxPool2d(kernel \(kernelSize), stride \(stride))" }
    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        try maxPool2d(x, kernelSize: kernelSize, stride: stride)
    }
}

/// Mean over the spatial axes: [N, C, H, W] → [N, C].
public final class GlobalAvgPool: Module {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Tensor) throws -> Tensor { try globalAveragePool(x) }
}
