import Foundation

/// Training or prediction windows: `count` windows of `channels` x `size` x `size` Float32 values,
/// NCHW, flat; with a label, the id of the point each window came from (augmented copies keep
/// it), the centre coordinates, and the layer (channel) names.
public struct Dataset: Sendable, CustomStringConvertible {
    public var windows: [Float]
    public var count: Int
    public var channels: Int
    public var size: Int
    /// 1 = positive (deposit), 0 = negative; -1 = unknown (prediction windows).
    public var labels: [Int]
    public var sourceIDs: [String]
    public var centreX: [Double]
    public var centreY: [Double]
    public var layerNames: [String]
    /// Points left out (too near the edge) and other notes for the user.
    public var warnings: [String]

    public init(windows: [Float], count: Int, channels: Int, size: Int, labels: [Int], sourceIDs: [String],
                centreX: [Double], centreY: [Double], layerNames: [String], warnings: [String] = []) throws {
        guard windows.count == count * channels * size * size, labels.count == count, sourceIDs.count == count,
              centreX.count == count, centreY.count == count, layerNames.count == channels else {
            throw GeoError("dataset parts disagree: \(windows.count) values for \(count) x \(channels) x \(size) x \(size), \(labels.count) labels, \(sourceIDs.count) ids, \(layerNames.count) layer names")
        }
        self.windows = windows
        self.count = count
        self.channels = channels
        self.size = size
        self.labels = labels
        self.sourceIDs = sourceIDs
        self.centreX = centreX
        self.centreY = centreY
        self.layerNames = layerNames
        self.warnings = warnings
    }

    /// NCHW shape, for the tensor bridge.
    public var shape: [Int] { [count, channels, size, size] }
    public var windowLength: Int { channels * size * size }

    public func window(_ index: Int) -> ArraySlice<Float> {
        windows[(index * windowLength)..<((index + 1) * windowLength)]
    }

    /// The windows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        var values = [Float]()
        values.reserveCapacity(indices.count * windowLength)
        for i in indices { values.append(contentsOf: window(i)) }
        var copy = self
        copy.windows = values
        copy.count = indices.count
        copy.labels = indices.map { labels[$0] }
        copy.sourceIDs = indices.map { sourceIDs[$0] }
        copy.centreX = indices.map { centreX[$0] }
        copy.centreY = indices.map { centreY[$0] }
        return copy
    }

    /// Windows of `other` appended (same channels and size).
    public func merged(with other: Dataset) throws -> Dataset {
        guard other.channels == channels, other.size == size, other.layerNames == layerNames else {
            throw GeoError("cannot merge datasets of \(channels) x \(size) x \(size) [\(layerNames.joined(separator: ","))] and \(other.channels) x \(other.size) x \(other.size) [\(other.layerNames.joined(separator: ","))]")
        }
        return try Dataset(windows: windows + other.windows, count: count + other.count, channels: channels, size: size,
                           labels: labels + other.labels, sourceIDs: sourceIDs + other.sourceIDs,
                           centreX: centreX + other.centreX, centreY: centreY + other.centreY,
                           layerNames: layerNames, warnings: warnings + other.warnings)
    }

    public var description: String {
        let positives = labels.filter { $0 == 1 }.count, negatives = labels.filter { $0 == 0 }.count
        return "dataset \(count) x \(channels) x \(size) x \(size) (\(positives) positive, \(negatives) negative, \(Set(sourceIDs).count) source points)"
    }
}
