import Foundation
import LodeTensor

/// Indices of a dataset's windows on each side of a split.
public struct Split: Sendable {
    public var name: String
    public var train: [Int]
    public var validation: [Int]
}

/// Ways to hold out validation windows. The paper's random split leaks (augmented copies of one
/// deposit land on both sides); the grouped, spatial and leave-one-deposit-out splits do not.
public enum Splits {
    /// Random, stratified by label: round(fraction * n_label) of each label go to validation.
    public static func randomStratified(_ data: Dataset, validationFraction: Double = 0.2, seed: UInt64 = 0) throws -> Split {
        try checkFraction(validationFraction)
        var random = RandomStream(seed: seed, skipping: 1)
        var validation: [Int] = []
        for label in Set(data.labels).sorted() {
            let members = (0..<data.count).filter { data.labels[$0] == label }
            let order = random.permutation(members.count)
            let take = Int((validationFraction * Double(members.count)).rounded())
            validation += order.prefix(take).map { members[$0] }
        }
        return try checked(make("random stratified", data.count, validation), data)
    }

    /// Whole source points (a deposit and all its copies) go to one side, stratified by label.
    public static func grouped(_ data: Dataset, validationFraction: Double = 0.2, seed: UInt64 = 0) throws -> Split {
        try checkFraction(validationFraction)
        var random = RandomStream(seed: seed, skipping: 1)
        var validation: [Int] = []
        for label in Set(data.labels).sorted() {
            let groups = orderedUnique((0..<data.count).filter { data.labels[$0] == label }.map { data.sourceIDs[$0] })
            let order = random.permutation(groups.count)
            let take = max(groups.count > 1 ? 1 : 0, Int((validationFraction * Double(groups.count)).rounded()))
            let held = Set(order.prefix(take).map { groups[$0] })
            validation += (0..<data.count).filter { data.labels[$0] == label && held.contains(data.sourceIDs[$0]) }
        }
        return try checked(make("grouped by source point", data.count, validation), data)
    }

    /// Square blocks of `blockSize` map units; whole blocks go to validation (seeded) until about
    /// `validationFraction` of the windows are held out.
    public static func spatialBlocks(_ data: Dataset, blockSize: Double, validationFraction: Double = 0.2, seed: UInt64 = 0) throws -> Split {
        try checkFraction(validationFraction)
        guard blockSize > 0 else { throw GeoError("spatial block size must be positive, got \(blockSize)") }
        let keys = (0..<data.count).map { "\(Int((data.centreX[$0] / blockSize).rounded(.down))),\(Int((data.centreY[$0] / blockSize).rounded(.down)))" }
        let blocks = orderedUnique(keys)
        var random = RandomStream(seed: seed, skipping: 1)
        var held = Set<String>()
        var heldCount = 0
        let target = Int((validationFraction * Double(data.count)).rounded())
        for b in random.permutation(blocks.count) where heldCount < target {
            held.insert(blocks[b])
            heldCount += keys.filter { $0 == blocks[b] }.count
        }
        return try checked(make("spatial blocks of \(blockSize)", data.count, (0..<data.count).filter { held.contains(keys[$0]) }), data)
    }

    /// One fold per deposit (positive source point): it and every copy of it are held out,
    /// together with the copies of one negative source point (taken in turn) so that each
    /// validation side has both classes.
    public static func leaveOneDepositOut(_ data: Dataset) throws -> [Split] {
        let deposits = orderedUnique((0..<data.count).filter { data.labels[$0] == 1 }.map { data.sourceIDs[$0] })
        guard !deposits.isEmpty else { throw GeoError("the dataset has no deposit (positive) windows to hold out") }
        let negatives = orderedUnique((0..<data.count).filter { data.labels[$0] == 0 }.map { data.sourceIDs[$0] })
        return deposits.enumerated().map { position, deposit in
            let negative = negatives.isEmpty ? nil : negatives[position % negatives.count]
            let validation = (0..<data.count).filter {
                (data.labels[$0] == 1 && data.sourceIDs[$0] == deposit) || (data.labels[$0] == 0 && data.sourceIDs[$0] == negative)
            }
            return make("leave out \(deposit)", data.count, validation)
        }
    }

    /// A split with an empty side is an error. A side with one class (no AUC can be measured
    /// on it, nothing can be learnt from it) or with the windows of a single site of a class (a
    /// score of one deposit, not of deposits) is legal but misleading: a warning says so.
    static func checked(_ split: Split, _ data: Dataset) throws -> Split {
        for (side, indices) in [("training", split.train), ("validation", split.validation)] {
            guard !indices.isEmpty else {
                throw GeoError("the \(split.name) split of \(data.count) windows leaves the \(side) side empty",
                               hint: "use more windows or a validation fraction that leaves both sides some")
            }
            let classes = Set(data.labels)
            let present = Set(indices.map { data.labels[$0] })
            if classes.count > 1, present.count == 1, let only = present.first {
                WorkMonitor.warn("the \(side) side of the \(split.name) split holds only \(className(only)) windows: "
                                 + (side == "validation" ? "no AUC can be measured on it" : "the model cannot learn to tell the classes apart")
                                 + "; use more windows or another seed")
                continue
            }
            for label in present.sorted() {
                let sites = Set(indices.filter { data.labels[$0] == label }.map { data.sourceIDs[$0] })
                let all = Set((0..<data.count).filter { data.labels[$0] == label }.map { data.sourceIDs[$0] })
                if sites.count == 1, all.count > 1 {
                    WorkMonitor.warn("the \(side) side of the \(split.name) split holds the \(className(label)) windows of a single site ('\(sites.first!)'): "
                                     + "its figures describe one site, not the class; use more sites or a larger fraction")
                }
            }
        }
        return split
    }

    static func className(_ label: Int) -> String {
        label == 1 ? "deposit (label 1)" : label == 0 ? "barren (label 0)" : "label \(label)"
    }

    static func checkFraction(_ fraction: Double) throws {
        guard fraction > 0, fraction < 1 else { throw GeoError("the validation fraction must be between 0 and 1, got \(fraction)") }
    }

    static func orderedUnique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    static func make(_ name: String, _ count: Int, _ validation: [Int]) -> Split {
        let held = Set(validation)
        return Split(name: name, train: (0..<count).filter { !held.contains($0) }, validation: validation.sorted())
    }
}
