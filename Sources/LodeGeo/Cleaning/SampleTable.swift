import Foundation

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
        guard let gridCRS = grid.crs, let crs, !(crs == gridCRS) else { return self }
        guard reproject else {
            throw GeoError("the samples are in \(crs) but the grid is in \(gridCRS)", file: source,
                           hint: "reproject the samples (reproject: true) or build the grid in their CRS")
        }
        var copy = self
        (copy.x, copy.y) = try Reprojection.transformed(x: x, y: y, from: crs, to: gridCRS)
        copy.crs = gridCRS
        return copy
    }

    public var description: String {
        "\(count) samples x \(elements.count) elements [\(elements.joined(separator: ", "))] from \(source)"
    }
}

/// How raw survey values become numbers.
public struct CleaningRules: Sendable {
    /// A below-detection mark "<L" becomes `belowDetectionFactor * L` (half the limit by default).
    public var belowDetectionFactor: Double = 0.5
    /// Values that mean "not analysed" and become missing.
    public var missingCodes: [Double] = [-9999]
    /// Negative values are laboratory codes, not concentrations: they become missing.
    public var negativeIsMissing: Bool = true
    /// Samples at the same location (within `duplicateTolerance` metres) are averaged into one.
    public var averageDuplicates: Bool = true
    public var duplicateTolerance: Double = 0

    public init(belowDetectionFactor: Double = 0.5, missingCodes: [Double] = [-9999], negativeIsMissing: Bool = true,
                averageDuplicates: Bool = true, duplicateTolerance: Double = 0) {
        self.belowDetectionFactor = belowDetectionFactor
        self.missingCodes = missingCodes
        self.negativeIsMissing = negativeIsMissing
        self.averageDuplicates = averageDuplicates
        self.duplicateTolerance = duplicateTolerance
    }
}

extension PointLayer {
    /// Turns the element columns into numbers following `rules`. Throws, naming file, row and
    /// column, on text that is neither a number, a below-detection mark nor empty; and on an
    /// element that ends up with no value at all.
    public func cleaned(elements: [String], rules: CleaningRules = CleaningRules()) throws -> SampleTable {
        guard !elements.isEmpty else { throw GeoError("no elements were named for cleaning", file: source) }
        guard count > 0 else { throw GeoError("there are no samples to clean", file: source) }
        var values: [[Double]] = []
        var censored: [[Bool]] = []
        for element in elements {
            guard let index = columnIndex(element) else {
                throw GeoError("no column for element '\(element)'", file: source, column: element,
                               hint: "columns are \(columnNames.joined(separator: ", "))")
            }
            var column = [Double](repeating: .nan, count: count)
            var flags = [Bool](repeating: false, count: count)
            for (i, raw) in columns[index].enumerated() {
                let text = raw.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                if text.hasPrefix("<") {
                    let limitText = text.dropFirst().trimmingCharacters(in: .whitespaces)
                    guard let limit = Double(limitText), limit > 0 else {
                        throw GeoError("'\(raw)' is not a below-detection value such as <0.5", file: source,
                                       row: rowNumbers[i], column: columnNames[index])
                    }
                    column[i] = limit * rules.belowDetectionFactor
                    flags[i] = true
                    continue
                }
                let numberText = text.hasPrefix(">") ? String(text.dropFirst()) : text
                guard let value = Double(numberText), !value.isNaN else {
                    throw GeoError("'\(raw)' is not a number", file: source, row: rowNumbers[i], column: columnNames[index],
                                   hint: "values must be numbers, below-detection marks like <0.5, or empty")
                }
                if rules.missingCodes.contains(value) || (rules.negativeIsMissing && value < 0) || !value.isFinite { continue }
                column[i] = value
            }
            guard column.contains(where: { !$0.isNaN }) else {
                throw GeoError("element '\(element)' has no valid value in any of the \(count) samples", file: source,
                               column: columnNames[index], hint: "check the column and the missing-value codes")
            }
            values.append(column)
            censored.append(flags)
        }
        var table = SampleTable(x: x, y: y, ids: ids, elements: elements, values: values, censored: censored,
                                crs: crs, source: source, mergedDuplicates: 0)
        if rules.averageDuplicates { table = table.averagingDuplicates(tolerance: rules.duplicateTolerance) }
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
        return result
    }
}
