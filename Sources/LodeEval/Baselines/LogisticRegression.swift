import Foundation

/// Binary logistic regression fitted by Newton's method (iteratively reweighted least squares)
/// with an L2 penalty on the coefficients (not the intercept): it minimises
/// sum(log loss) + l2/2 * |w|^2, which is scikit-learn's LogisticRegression with C = 1 / l2.
public struct LogisticRegression: Sendable, Equatable {
    public var coefficients: [Double]
    public var intercept: Double
    public var iterations: Int

    public static func fitted(features: [[Double]], labels: [Int], l2: Double = 1, maximumIterations: Int = 100,
                              tolerance: Double = 1e-10, operation: String = "logistic") throws -> LogisticRegression {
        guard !features.isEmpty, features.count == labels.count else {
            throw EvalError(operation, "\(features.count) rows of features for \(labels.count) labels")
        }
        let d = features[0].count
        guard features.allSatisfy({ $0.count == d }) else { throw EvalError(operation, "rows of features have different lengths") }
        guard labels.allSatisfy({ $0 == 0 || $0 == 1 }), labels.contains(0), labels.contains(1) else {
            throw EvalError(operation, "labels must be 0 and 1 and hold both classes")
        }
        guard l2 >= 0, l2.isFinite else { throw EvalError(operation, "the L2 penalty must be zero or positive, got \(l2)") }
        if let bad = features.firstIndex(where: { $0.contains { !$0.isFinite } }) {
            throw EvalError(operation, "row \(bad) of the features is not finite")
        }
        // Parameters: [intercept, w0, w1, ...].
        let p = d + 1
        var beta = [Double](repeating: 0, count: p)
        var iterations = 0
        for iteration in 1...maximumIterations {
            iterations = iteration
            var gradient = [Double](repeating: 0, count: p)
            var hessian = [Double](repeating: 0, count: p * p)
            for (row, label) in zip(features, labels) {
                var z = beta[0]
                for j in 0..<d { z += beta[j + 1] * row[j] }
                let probability = 1 / (1 + exp(-z))
                let residual = probability - Double(label)
                let weight = max(probability * (1 - probability), 1e-12)
                gradient[0] += residual
                for j in 0..<d { gradient[j + 1] += residual * row[j] }
                for a in 0..<p {
                    let xa = a == 0 ? 1 : row[a - 1]
                    for b in a..<p { hessian[a * p + b] += weight * xa * (b == 0 ? 1 : row[b - 1]) }
                }
            }
            for a in 0..<p { for b in 0..<a { hessian[a * p + b] = hessian[b * p + a] } }
            for j in 1..<p {
                gradient[j] += l2 * beta[j]
                hessian[j * p + j] += l2
            }
            let step = try solvedSymmetric(hessian, gradient, size: p, operation: operation)
            var largest = 0.0
            for j in 0..<p {
                beta[j] -= step[j]
                largest = max(largest, abs(step[j]))
            }
            if largest < tolerance { break }
        }
        return LogisticRegression(coefficients: Array(beta[1...]), intercept: beta[0], iterations: iterations)
    }

    public func logit(_ row: [Double]) -> Double {
        var z = intercept
        for (w, x) in zip(coefficients, row) { z += w * x }
        return z
    }

    public func probability(_ row: [Double]) -> Double { 1 / (1 + exp(-logit(row))) }
}

/// Solves A x = b for a symmetric positive (semi)definite A by Gaussian elimination with
/// partial pivoting (the systems are a few tens of unknowns).
func solvedSymmetric(_ matrix: [Double], _ rhs: [Double], size n: Int, operation: String) throws -> [Double] {
    var a = matrix, b = rhs
    for column in 0..<n {
        var pivot = column
        for r in (column + 1)..<max(n, column + 1) where abs(a[r * n + column]) > abs(a[pivot * n + column]) { pivot = r }
        guard abs(a[pivot * n + column]) > 1e-300 else {
            throw EvalError(operation, "the features are collinear (singular system); add an L2 penalty or drop a layer")
        }
        if pivot != column {
            for k in 0..<n { a.swapAt(column * n + k, pivot * n + k) }
            b.swapAt(column, pivot)
        }
        for r in (column + 1)..<max(n, column + 1) {
            let factor = a[r * n + column] / a[column * n + column]
            if factor == 0 { continue }
            for k in column..<n { a[r * n + k] -= factor * a[column * n + k] }
            b[r] -= factor * b[column]
        }
    }
    var x = [Double](repeating: 0, count: n)
    for r in stride(from: n - 1, through: 0, by: -1) {
        var sum = b[r]
        for k in (r + 1)..<max(n, r + 1) { sum -= a[r * n + k] * x[k] }
        x[r] = sum / a[r * n + r]
    }
    return x
}
