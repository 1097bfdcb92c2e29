import LodeEval
import LodeGeo
import LodeScript

/// Labelled windows (deposit = 1, barren = 0), optionally split into training and validation
/// parts: `data.train`, `data.val`.
public final class DatasetObject: LodeObject, RichDisplayable {
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
    public var memberNames: [String] { ["train", "val", "count", "positives", "negatives", "channels", "size", "layers", "labels", "split", "tensor"] }

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
        case "split": return split.map { .string($0.name) } ?? .nil
        case "tensor": return .object(TensorObject(try data.tensor()))
        default: return nil
        }
    }

    public func displayBundle() -> DisplayBundle {
        var rows = [["all", "\(data.count)", "\(positives)", "\(negatives)"]]
        if let split {
            for (name, indices) in [("train", split.train), ("val", split.validation)] {
                let p = indices.filter { data.labels[$0] == 1 }.count
                rows.append([name, "\(indices.count)", "\(p)", "\(indices.count - p)"])
            }
        }
        let table = TableObject(title: summary, columns: ["part", "windows", "deposit", "barren"], rows: rows)
        return DisplayBundle(data: ["text/plain": summary, "text/html": table.html])
    }
}
