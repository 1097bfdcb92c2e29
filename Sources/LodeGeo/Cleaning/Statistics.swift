import Foundation

/// One row of the per-element summary table.
public struct ElementSummary: Sendable {
    public var element: String
    /// Values the statistics use (measured, plus censored ones unless the rule makes them missing).
    public var count: Int
    /// Empty, NA or NaN cells (for a table without file counts: every value that is not a number).
    public var missing: Int
    public var censored: Int
    /// Cells holding a "not analysed" code such as -9999.
    public var notAnalysed: Int = 0
    public var minimum: Double
    public var median: Double
    public var maximum: Double
    public var mean: Double
    public var standardDeviation: Double
    /// Sample skewness g1 = m3 / m2^(3/2) (population moments).
    public var skewness: Double
    /// Excess kurtosis g2 = m4 / m2^2 - 3 (0 for a normal distribution).
    public var kurtosis: Double
}

enum Moments {
    static func median(_ sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Linear-interpolation quantile (NumPy's default) of sorted values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        let fraction = position - Double(low)
        return sorted[low] + (sorted[high] - sorted[low]) * fraction
    }
}

extension SampleTable {
    /// Descriptive statistics for every element (the first look the paper used to pick elements).
    public func summary() -> [ElementSummary] {
        elements.indices.map { e in
            let present = values[e].filter { !$0.isNaN }
            let sorted = present.sorted()
            let n = Double(present.count)
            let mean = present.reduce(0, +) / max(n, 1)
            var m2 = 0.0, m3 = 0.0, m4 = 0.0
            for v in present {
                let d = v - mean
                m2 += d * d
                m3 += d * d * d
                m4 += d * d * d * d
            }
            m2 /= max(n, 1); m3 /= max(n, 1); m4 /= max(n, 1)
            let file = counts.indices.contains(e) ? counts[e] : nil
            return ElementSummary(
                element: elements[e], count: present.count, missing: file?.missing ?? (count - present.count),
                censored: file?.censored ?? censored[e].filter { $0 }.count, notAnalysed: file?.notAnalysed ?? 0,
                minimum: sorted.first ?? .nan, median: Moments.median(sorted), maximum: sorted.last ?? .nan,
                mean: present.isEmpty ? .nan : mean, standardDeviation: present.isEmpty ? .nan : (m2 * n / max(n - 1, 1)).squareRoot(),
                skewness: present.isEmpty ? .nan : m2 > 0 ? m3 / pow(m2, 1.5) : 0,
                kurtosis: present.isEmpty ? .nan : m2 > 0 ? m4 / (m2 * m2) - 3 : 0)
        }
    }

    /// The summary as an aligned text table.
    public func summaryText() -> String {
        var lines = [String(format: "%-6@ %7@ %7@ %8@ %8@ %10@ %10@ %10@ %8@ %8@", "elem", "count", "missing", "censored",
                            "not_anal", "min", "median", "max", "skew", "kurt")]
        for row in summary() {
            lines.append(String(format: "%-6@ %7d %7d %8d %8d %10.4g %10.4g %10.4g %8.2f %8.2f", row.element, row.count,
                                row.missing, row.censored, row.notAnalysed, row.minimum, row.median, row.maximum, row.skewness, row.kurtosis))
        }
        return lines.joined(separator: "\n")
    }

    /// Element values prepared for correlation/PCA: log10 of positive values when asked.
    func analysisColumns(logarithm: Bool) -> [[Double]] {
        values.map { column in
            logarithm ? column.map { $0 > 0 ? log10($0) : .nan } : column
        }
    }

    /// Pearson correlation between elements over the samples where both are present
    /// (on log10 values by default, as concentrations are log-normal).
    public func correlationMatrix(logarithm: Bool = true) -> [[Double]] {
        let columns = analysisColumns(logarithm: logarithm)
        let m = elements.count
        var matrix = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        for a in 0..<m {
            matrix[a][a] = 1
            for b in (a + 1)..<max(m, a + 1) {
                var sa = 0.0, sb = 0.0, n = 0.0
                for i in 0..<count where !columns[a][i].isNaN && !columns[b][i].isNaN {
                    sa += columns[a][i]; sb += columns[b][i]; n += 1
                }
                let ma = sa / n, mb = sb / n
                var sab = 0.0, saa = 0.0, sbb = 0.0
                for i in 0..<count where !columns[a][i].isNaN && !columns[b][i].isNaN {
                    let da = columns[a][i] - ma, db = columns[b][i] - mb
                    sab += da * db; saa += da * da; sbb += db * db
                }
                let r = (saa > 0 && sbb > 0) ? sab / (saa * sbb).squareRoot() : .nan
                matrix[a][b] = r
                matrix[b][a] = r
            }
        }
        return matrix
    }

    /// Principal components of the standardised (log10 by default) elements over the samples
    /// where every element is present.
    public func principalComponents(logarithm: Bool = true) throws -> PrincipalComponents {
        let columns = analysisColumns(logarithm: logarithm)
        let complete = (0..<count).filter { i in columns.allSatisfy { !$0[i].isNaN } }
        guard complete.count > elements.count else {
            throw GeoError("PCA needs more complete samples (\(complete.count)) than elements (\(elements.count))", file: source)
        }
        let standardised: [[Double]] = columns.map { column in
            let v = complete.map { column[$0] }
            let mean = v.reduce(0, +) / Double(v.count)
            let sd = (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)).squareRoot()
            return v.map { sd > 0 ? ($0 - mean) / sd : 0 }
        }
        let m = elements.count
        let n = Double(complete.count)
        var covariance = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        for a in 0..<m {
            for b in a..<m {
                var s = 0.0
                for i in 0..<complete.count { s += standardised[a][i] * standardised[b][i] }
                covariance[a][b] = s / (n - 1)
                covariance[b][a] = covariance[a][b]
            }
        }
        let (eigenvalues, eigenvectors) = SymmetricEigen.decompose(covariance)
        let total = eigenvalues.reduce(0, +)
        let loadings = (0..<m).map { e in (0..<m).map { c in eigenvectors[c][e] * max(eigenvalues[c], 0).squareRoot() } }
        return PrincipalComponents(elements: elements, eigenvalues: eigenvalues,
                                   explainedVarianceRatio: eigenvalues.map { $0 / total },
                                   components: eigenvectors, loadings: loadings)
    }
}

/// PCA result: components sorted by decreasing eigenvalue.
public struct PrincipalComponents: Sendable {
    public var elements: [String]
    public var eigenvalues: [Double]
    public var explainedVarianceRatio: [Double]
    /// components[c][e]: unit eigenvector c, coefficient of element e (sign: largest entry positive).
    public var components: [[Double]]
    /// loadings[e][c] = components[c][e] * sqrt(eigenvalue c): correlation of element e with PC c.
    public var loadings: [[Double]]
}

/// Jacobi eigenvalue iteration for small symmetric matrices (tens of elements).
enum SymmetricEigen {
    static func decompose(_ matrix: [[Double]]) -> (values: [Double], vectors: [[Double]]) {
        let n = matrix.count
        var a = matrix
        var v = (0..<n).map { i in (0..<n).map { j in i == j ? 1.0 : 0.0 } }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where i != j { off += a[i][j] * a[i][j] } }
            if off < 1e-22 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(n, p + 1) where abs(a[p][q]) > 1e-300 {
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k][p], akq = a[k][q]
                        a[k][p] = c * akp - s * akq
                        a[k][q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p][k], aqk = a[q][k]
                        a[p][k] = c * apk - s * aqk
                        a[q][k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k][p], vkq = v[k][q]
                        v[k][p] = c * vkp - s * vkq
                        v[k][q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<n).sorted { a[$0][$0] > a[$1][$1] }
        let values = order.map { a[$0][$0] }
        let vectors: [[Double]] = order.map { c in
            var vector = (0..<n).map { v[$0][c] }
            if let largest = vector.max(by: { abs($0) < abs($1) }), largest < 0 { vector = vector.map { -$0 } }
            return vector
        }
        return (values, vectors)
    }
}
