import LodeGeo
import LodeNN
import LodeTensor

/// LodeGeo windows (flat NCHW `[Float]`, string source ids) as LodeNN training data (a tensor,
/// integer groups) and back. Group ids number the source points in order of first appearance,
/// so a grouped split and the trainer agree on which windows belong together.
extension WindowDataset {
    /// The labelled windows of `dataset` (all of them, or those at `indices` in that order).
    /// Prediction tiles (label -1) are refused: they have no class to train on.
    public init(_ dataset: Dataset, indices: [Int]? = nil) throws {
        let picked = indices.map { dataset.subset($0) } ?? dataset
        if let bad = picked.labels.firstIndex(where: { $0 < 0 }) {
            throw NNError("dataset: window \(bad) (\(picked.sourceIDs[bad])) has no label (\(picked.labels[bad])); prediction tiles cannot be used for training")
        }
        try self.init(values: picked.windows, channels: picked.channels, window: picked.size, labels: picked.labels,
                      groups: SourceGroups(picked.sourceIDs).groups)
    }
}

/// Source ids numbered by first appearance.
public struct SourceGroups: Equatable, Sendable {
    public let names: [String]
    public let groups: [Int]

    public init(_ sourceIDs: [String]) {
        var index: [String: Int] = [:]
        var names: [String] = []
        groups = sourceIDs.map { id in
            if let known = index[id] { return known }
            index[id] = names.count
            names.append(id)
            return names.count - 1
        }
        self.names = names
    }
}

extension Dataset {
    /// The windows as one tensor [count, channels, size, size] (labels play no part, so
    /// prediction tiles work too).
    public func tensor() throws -> Tensor { try Tensor(shape: shape, scalars: windows) }

    /// LodeNN windows back as a LodeGeo dataset. `sourceIDs` names each window's source (by
    /// default the group number, "group N", or the window index without groups); centres are
    /// NaN unless given.
    public init(_ data: WindowDataset, layerNames: [String], sourceIDs: [String]? = nil,
                centreX: [Double]? = nil, centreY: [Double]? = nil) throws {
        let n = data.count
        let ids = sourceIDs ?? (data.groups.map { $0.map { "group \($0)" } } ?? (0..<n).map { "window \($0)" })
        try self.init(windows: data.windows.scalars, count: n, channels: data.channels, size: data.windowSize,
                      labels: data.labels, sourceIDs: ids,
                      centreX: centreX ?? Array(repeating: .nan, count: n), centreY: centreY ?? Array(repeating: .nan, count: n),
                      layerNames: layerNames)
    }
}
