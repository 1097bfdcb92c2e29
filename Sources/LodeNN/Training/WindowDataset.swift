import LodeTensor

/// Labelled windows for training and evaluation: windows [N, C, k, k] (NCHW), one class label
/// per window and, optionally, a group id per window (e.g. the deposit a window was cut
/// around, so augmented copies of one deposit stay on one side of a split).
public struct WindowDataset {
    public let windows: Tensor
    public let labels: [Int]
    public let groups: [Int]?

    public init(windows: Tensor, labels: [Int], groups: [Int]? = nil) throws {
        guard windows.rank == 4 else { throw NNError("dataset: windows must be [N, C, k, k], got shape \(windows.shape)") }
        guard windows.shape[2] == windows.shape[3] else {
            throw NNError("dataset: windows must be square, got \(windows.shape[2])×\(windows.shape[3])")
        }
        guard labels.count == windows.shape[0] else {
            throw NNError("dataset: \(windows.shape[0]) windows but \(labels.count) labels")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 }) { throw NNError("dataset: label \(labels[bad]) of window \(bad) is negative") }
        if let groups, groups.count != labels.count {
            throw NNError("dataset: \(labels.count) windows but \(groups.count) group ids")
        }
        self.windows = windows
        self.labels = labels
        self.groups = groups
    }

    /// From flat NCHW values (what the geodata module produces).
    public init(values: [Float], channels: Int, window: Int, labels: [Int], groups: [Int]? = nil) throws {
        let per = channels * window * window
        guard per > 0, values.count == labels.count * per else {
            throw NNError("dataset: \(values.count) values do not hold \(labels.count) windows of \(channels)×\(window)×\(window)")
        }
        try self.init(windows: Tensor(shape: [labels.count, channels, window, window], scalars: values), labels: labels, groups: groups)
    }

    public var count: Int { labels.count }
    public var channels: Int { windows.shape[1] }
    public var windowSize: Int { windows.shape[2] }

    /// The windows at `indices` as one batch tensor, with their labels.
    public func batch(_ indices: ArraySlice<Int>) -> (windows: Tensor, labels: [Int]) {
        (gatherWindows(windows, indices), indices.map { labels[$0] })
    }

    /// The windows at `indices` (in that order) as a new dataset.
    public func subset(_ indices: [Int]) throws -> WindowDataset {
        try WindowDataset(windows: gatherWindows(windows, indices[...]), labels: indices.map { labels[$0] },
                          groups: groups.map { g in indices.map { g[$0] } })
    }
}

/// Copies the windows at `indices` of x [N, ...] into a new contiguous [indices.count, ...].
func gatherWindows(_ x: Tensor, _ indices: ArraySlice<Int>) -> Tensor {
    let per = x.count / max(x.shape[0], 1)
    var shape = x.shape
    shape[0] = indices.count
    let out = Tensor.zeros(shape)
    for (row, i) in indices.enumerated() { (out.pointer + row * per).update(from: x.pointer + i * per, count: per) }
    return out
}
