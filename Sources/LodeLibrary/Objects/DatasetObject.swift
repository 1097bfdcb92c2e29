import LodeEval
import LodeGeo
import LodeScript

/// Labelled windows (deposit = 1, barren = 0), optionally split into training and validation
/// parts: `data.train`, `data.val`.
public final class DatasetObject: LodeObject, RichDisplayable, WarningCarrier {
    /// The warnings given while this value was made (also shown on stderr).
    public var warnings: [String] = []
    public let data: Dataset
    public let split: Split?
    /// The stack the windows were cut from (augmentation shifts re-cut from it).
    public let source: RasterStack?

    public init(_ data: Dataset, split: Split? = nil, source: RasterStack? = nil) {
        self.data = data
        self.split = split
        self.source = source
    }

    public var positives: Int { data.labels.filter { $0 == 1 }.count }
    public var negatives: Int { data.labels.count - positives }

    public var typeName: String { "dataset" }
    public var summary: String {
        var text = "dataset \(data.count) windows \(data.channels)×\(data.size)×\(data.size) (\(positives) deposit, \(negatives) barren)"
        if let split { text += ", split \"\(split.name)\" \(split.train.count) train / \(split.validation.count) val" }
        return text
    }
    public var memberNames: [String] { ["train", "val", "count", "positives", "negatives", "channels", "size", "layers", "labels", "x", "y", "split", "tensor", "ids", "deposit_ids", "warnings"] }

    public func member(_ name: String) throws -> LodeValue? {
        switch name {
        case "train", "val":
            guard let split else {
                throw LodeError(.name, "this dataset is not split", hint: "use split(data, 0.2) first")
            }
            return .object(DatasetObject(data.subset(name == "train" ? split.train : split.validation)))
        case "count": return .number(Double(data.count))
        case "positives": return .number(Double(positives))
        case "negatives": return .number(Double(negatives))
        case "channels": return .number(Double(data.channels))
        case "size": return .number(Double(data.size))
        case "layers": return .list(data.layerNames.map { .string($0) })
        case "labels": return .list(data.labels.map { .number(Double($0)) })
        case "x": return .list(data.centreX.map { .number($0) })
        case "y": return .list(data.centreY.map { .number($0) })
        case "split": return split.map { .string($0.name) } ?? .nil
        case "tensor": return .object(TensorObject(try data.tensor()))
        case "ids": return .list(data.sourceIDs.map { .string($0) })
        case "deposit_ids": return .list(depositIDs(Array(0..<data.count)).map { .string($0) })
        case "warnings": return .list(warnings.map { .string($0) })
        default: return nil
        }
    }

    /// The source ids of the deposit (label 1) windows among `indices`, each once, in order:
    /// which deposits landed in a part.
    func depositIDs(_ indices: [Int]) -> [String] {
        var seen = Set<String>()
        return indices.filter { data.labels[$0] == 1 }.map { data.sourceIDs[$0] }.filter { seen.insert($0).inserted }
    }

    public func displayBundle() -> DisplayBundle {
        func names(_ indices: [Int]) -> String {
            let ids = depositIDs(indices)
            return ids.prefix(12).joined(separator: ", ") + (ids.count > 12 ? ", … (\(ids.count))" : "")
        }
        var rows = [["all", "\(data.count)", "\(positives)", "\(negatives)", names(Array(0..<data.count))]]
        if let split {
            for (name, indices) in [("train", split.train), ("val", split.validation)] {
                let p = indices.filter { data.labels[$0] == 1 }.count
                rows.append([name, "\(indices.count)", "\(p)", "\(indices.count - p)", names(indices)])
            }
        }
        let table = TableObject(title: summary, columns: ["part", "windows", "deposit", "barren", "deposits"], rows: rows)
        return DisplayBundle(data: ["text/plain": summary, "text/html": table.html])
    }
}
