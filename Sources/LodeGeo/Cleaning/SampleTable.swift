import Foundation
import LodeTensor

/// Geochemical samples after cleaning: coordinates, one numeric column per element (NaN =
/// missing), and what cleaning did (censored and missing counts, merged duplicates).
public struct SampleTable: Sendable, CustomStringConvertible {
    public var x: [Double]
    public var y: [Double]
    public var ids: [String]
    public var elements: [String]
    /// values[e][i]: element e at sample i.
    public var values: [[Double]]
    /// censored[e][i]: the value was a below-detection mark replaced by a fraction of the limit.
    public var censored: [[Bool]]
    public var crs: CRS?
    public var source: String
    public var mergedDuplicates: Int
    /// Per element, how the file's rows were read (measured, censored, missing, not analysed).
    public var counts: [ElementCounts] = []
    /// Locations where two or more rows were averaged.
    public var duplicateLocations = 0

    public var count: Int { x.count }

    public func values(of element: String) throws -> [Double] {
        guard let index = elements.firstIndex(of: element) else {
            throw GeoError("no element '\(element)' in the samples", file: source, column: element,
                           hint: "elements are \(elements.joined(separator: ", "))")
        }
        return values[index]
    }

    /// Checks the samples can be used on a grid: same CRS, reprojecting when allowed.
    public func aligned(to grid: GridSpec, reproject: Bool = true) throws -> SampleTable {
        CRSMismatch.warnIfOneSided(crs, grid.crs, what: "samples of \(source)")
        guard let gridCRS = grid.crs, let crs, !(crs == gridCRS) else { return self }
        guard reproject else {
            throw GeoError("the samples are in \(crs) but the grid is in \(gridCRS)", file: source,
                           hint: "reproject the samples (reproject: true) or build the grid in their CRS")
        }
        var copy = self
        (copy.x, copy.y) = try Reprojection.transformed(x: x, y: y, from: crs, to: gridCRS)
        copy.crs = gridCRS
        WorkMonitor.warn("the \(count) samples were reprojected from \(crs) to the grid's \(gridCRS)")
        return copy
    }

    public var description: String {
        "\(count) samples x \(elements.count) elements [\(elements.joined(separator: ", "))] from \(source)"
    }
}

/// How raw survey values become numbers.
///
/// - Censored values ("<0.5", a negative code -0.5, or a "<" in the element's qualifier column
///   such as `Au_T`) become `belowDetectionFactor` × the limit: half by default (`censored: .half`),
///   or the limit, zero, or missing. A "<" qualifier whose value is 0 has lost its limit; the
///   element's smallest measured value stands in for it (and a warning says so).
/// - `missingCodes` (-9999 by default) mean "not analysed"; empty cells, NA and NaN are missing.
/// - Negative numbers other than the codes are censored at their absolute value by default
///   (`negativeValues: .missing` treats them as missing instead).
public struct CleaningRules: Sendable {
    /// A censored value with limit L becomes `belowDetectionFactor * L` (half the limit by default).
    public var belowDetectionFactor: Double = 0.5
    /// Censored values become missing instead (`CensoredRule.missing`).
    public var censoredAsMissing = false
    /// Values that mean "not analysed".
    public var missingCodes: [Double] = [-9999, -99999, -999]
    public var negativeValues: NegativeValueRule = .censored
    /// Samples at the same location (within `duplicateTolerance` metres) are averaged into one.
    public var averageDuplicates: Bool = true
    public var duplicateTolerance: Double = 0

    public init(belowDetectionFactor: Double = 0.5, missingCodes: [Double] = [-9999, -99999, -999],
                negativeValues: NegativeValueRule = .censored,
                averageDuplicates: Bool = true, duplicateTolerance: Double = 0) {
        self.belowDetectionFactor = belowDetectionFactor
        self.missingCodes = missingCodes
        self.negativeValues = negativeValues
        self.averageDuplicates = averageDuplicates
        self.duplicateTolerance = duplicateTolerance
    }

    public init(censored rule: CensoredRule, missingCodes: [Double] = [-9999, -99999, -999],
                negativeValues: NegativeValueRule = .censored, averageDuplicates: Bool = true) {
        self.init(belowDetectionFactor: rule.factor ?? 0.5, missingCodes: missingCodes, negativeValues: negativeValues,
                  averageDuplicates: averageDuplicates)
        censoredAsMissing = rule == .missing
    }

    /// The rule in words, for messages.
    public var censoredPhrase: String {
        if censoredAsMissing { return CensoredRule.missing.phrase }
        switch belowDetectionFactor {
        case 0.5: return CensoredRule.half.phrase
        case 1: return CensoredRule.limit.phrase
        case 0: return CensoredRule.zero.phrase
        default: return "\(belowDetectionFactor) × the detection limit"
        }
    }
}

extension PointLayer {
    /// Turns the element columns into numbers following `rules`. Throws, naming file, row and
    /// column, on text that is neither a number, a below-detection mark, a missing code nor
    /// empty; and (when `requiringValues`) on an element that ends up with no value at all.
    /// An element may be named by its column ("Au_ppm") or by its symbol when one column has it ("Au").
    public func cleaned(elements: [String], rules: CleaningRules = CleaningRules(), requiringValues: Bool = true) throws -> SampleTable {
        guard !elements.isEmpty else { throw GeoError("no elements were named for cleaning", file: source) }
        guard count > 0 else { throw GeoError("there are no samples to clean", file: source) }
        var values: [[Double]] = []
        var censored: [[Bool]] = []
        var counts: [ElementCounts] = []
        var unknownLimits: [String] = []
        for element in elements {
            let index = try elementColumnIndex(element)
            let qualifierIndex = CensoredValueParser.qualifierColumn(for: columnNames[index], in: columnNames)
            var column = [Double](repeating: .nan, count: count)
            var flags = [Bool](repeating: false, count: count)
            var tally = ElementCounts(rows: count)
            var lostLimit: [Int] = []
            for (i, raw) in columns[index].enumerated() {
                let parsed: ParsedValue
                do {
                    parsed = try CensoredValueParser.parse(raw, qualifier: qualifierIndex.map { columns[$0][i] }, rules: rules)
                } catch let error as GeoError {
                    throw GeoError(error.message, file: source, row: rowNumbers[i], column: columnNames[index], hint: error.hint)
                }
                switch parsed.status {
                case .measured:
                    tally.measured += 1
                    column[i] = parsed.number!
                case .censored:
                    tally.censored += 1
                    flags[i] = true
                    if let limit = parsed.number {
                        if !rules.censoredAsMissing { column[i] = limit * rules.belowDetectionFactor }
                    } else {
                        lostLimit.append(i)
                    }
                case .missing: tally.missing += 1
                case .notAnalysed: tally.notAnalysed += 1
                }
            }
            if !lostLimit.isEmpty {
                tally.unknownLimit = lostLimit.count
                // The smallest measured value is the best stand-in the file offers for a lost limit.
                let measuredValues = (0..<count).filter { !flags[$0] && !column[$0].isNaN }.map { column[$0] }
                if let smallest = measuredValues.filter({ $0 > 0 }).min(), !rules.censoredAsMissing {
                    for i in lostLimit { column[i] = smallest * rules.belowDetectionFactor }
                    unknownLimits.append("\(columnNames[index]): \(lostLimit.count) (limit taken as \(LodeNumberText.shortest(smallest)))")
                } else if !rules.censoredAsMissing {
                    unknownLimits.append("\(columnNames[index]): \(lostLimit.count) (no measured value to stand in, left missing)")
                }
            }
            if requiringValues, !column.contains(where: { !$0.isNaN }) {
                throw GeoError("element '\(element)' has no valid value in any of the \(count) samples "
                               + "(\(tally.notAnalysed) not analysed, \(tally.missing) missing, \(tally.censored) censored)", file: source,
                               column: columnNames[index], hint: "check the column and the missing-value codes")
            }
            values.append(column)
            censored.append(flags)
            counts.append(tally)
        }
        let censoredElements = zip(elements, counts).filter { $0.1.censored > 0 }
        if !censoredElements.isEmpty {
            let rule = rules.censoredAsMissing ? "missing" : rules.belowDetectionFactor == 0.5 ? "half the limit"
                : rules.belowDetectionFactor == 1 ? "the limit" : "\(LodeNumberText.shortest(rules.belowDetectionFactor)) × the limit"
            WorkMonitor.warn("below-detection values became \(rule): "
                             + censoredElements.prefix(10).map { "\($0.0) \($0.1.censored)" }.joined(separator: ", ")
                             + (censoredElements.count > 10 ? ", … (\(censoredElements.count) elements)" : "") + " of \(count) rows")
        }
        if !unknownLimits.isEmpty {
            WorkMonitor.warn("censored values without a detection limit (a '<' qualifier beside 0): " + unknownLimits.joined(separator: "; "))
        }
        var table = SampleTable(x: x, y: y, ids: ids, elements: elements, values: values, censored: censored,
                                crs: crs, source: source, mergedDuplicates: 0, counts: counts)
        if rules.averageDuplicates {
            table = table.averagingDuplicates(tolerance: rules.duplicateTolerance)
            if table.mergedDuplicates > 0 {
                let rows = table.mergedDuplicates + table.duplicateLocations
                WorkMonitor.warn("\(rows) sample rows share \(table.duplicateLocations) location\(table.duplicateLocations == 1 ? "" : "s"); "
                                 + "each location was averaged into one sample (\(count) rows → \(table.count) samples)")
            }
        }
        return table
    }
}

extension SampleTable {
    /// Samples within `tolerance` metres of each other (same cell of a tolerance-sized lattice,
    /// or the exact same coordinates when 0) become one sample at their mean position, each
    /// element the mean of its non-missing values; ids are joined with "+".
    public func averagingDuplicates(tolerance: Double = 0) -> SampleTable {
        struct Key: Hashable { let a: Int64; let b: Int64 }
        func key(_ i: Int) -> Key {
            if tolerance > 0 {
                return Key(a: Int64((x[i] / tolerance).rounded()), b: Int64((y[i] / tolerance).rounded()))
            }
            return Key(a: Int64(bitPattern: x[i].bitPattern), b: Int64(bitPattern: y[i].bitPattern))
        }
        var groups: [Key: [Int]] = [:]
        var order: [Key] = []
        for i in 0..<count {
            let k = key(i)
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(i)
        }
        if order.count == count { return self }
        var result = self
        result.x = []
        result.y = []
        result.ids = []
        result.values = elements.map { _ in [] }
        result.censored = elements.map { _ in [] }
        for k in order {
            let members = groups[k]!
            let n = Double(members.count)
            result.x.append(members.reduce(0) { $0 + x[$1] } / n)
            result.y.append(members.reduce(0) { $0 + y[$1] } / n)
            result.ids.append(members.map { ids[$0] }.joined(separator: "+"))
            for e in elements.indices {
                let present = members.filter { !values[e][$0].isNaN }
                result.values[e].append(present.isEmpty ? .nan : present.reduce(0) { $0 + values[e][$1] } / Double(present.count))
                result.censored[e].append(!present.isEmpty && present.allSatisfy { censored[e][$0] })
            }
        }
        result.mergedDuplicates = count - order.count
        result.duplicateLocations = order.filter { groups[$0]!.count > 1 }.count
        return result
    }
}
