import Foundation

/// Temperature scaling (Guo et al., 2017): one number T that divides a trained model's logits so
/// that its probabilities on held-out windows are as likely as possible (least negative
/// log-likelihood). A network trained to zero loss on a few deposits says 0 or 1 almost
/// everywhere; the ranking of its map is kept (T > 0 preserves the order of every cell) but the
/// probabilities become ones a threshold, a grade or an ensemble average can use.
public struct TemperatureFit: Sendable, CustomStringConvertible {
    public var temperature: Double
    /// Mean negative log-likelihood of the held-out labels at T = 1 and at the fitted T.
    public var lossBefore: Double
    public var lossAfter: Double
    public var count: Int
    /// True when the best T lies at a bound of the search (the held-out logits separate the
    /// classes perfectly, or carry no information): the fit is then only a limit.
    public var atBound: Bool

    public var description: String {
        String(format: "temperature %.4g (held-out NLL %.4f at T = 1, %.4f after, %d windows)%@",
               temperature, lossBefore, lossAfter, count, atBound ? "; at the search bound" : "")
    }
}

public enum TemperatureScaling {
    /// Searched range of T.
    public static let range: ClosedRange<Double> = 1e-3...1e3

    /// Mean negative log-likelihood of `labels` under softmax(logits / temperature).
    /// - Parameters:
    ///   - logits: row-major [count, classes].
    public static func loss(logits: [Float], classes: Int, labels: [Int], temperature: Double) throws -> Double {
        try check(logits: logits, classes: classes, labels: labels)
        return moments(logits: logits, classes: classes, labels: labels, inverse: 1 / temperature).loss
    }

    /// The temperature minimising the held-out negative log-likelihood. The loss is convex in
    /// 1/T (a log-sum-exp of lines in 1/T minus a line), so its slope is increasing: bisection
    /// on the sign of the slope over log(1/T) finds the unique minimum to machine precision.
    public static func fit(logits: [Float], classes: Int, labels: [Int]) throws -> TemperatureFit {
        try check(logits: logits, classes: classes, labels: labels)
        var low = log(1 / range.upperBound), high = log(1 / range.lowerBound)
        let slope = { (logInverse: Double) in moments(logits: logits, classes: classes, labels: labels, inverse: exp(logInverse)).slope }
        var atBound = false
        if slope(high) <= 0 {
            low = high
            atBound = true
        } else if slope(low) >= 0 {
            high = low
            atBound = true
        } else {
            for _ in 0..<200 where high - low > 1e-13 {
                let middle = (low + high) / 2
                if slope(middle) > 0 { high = middle } else { low = middle }
            }
        }
        let inverse = exp((low + high) / 2)
        return TemperatureFit(temperature: 1 / inverse,
                              lossBefore: moments(logits: logits, classes: classes, labels: labels, inverse: 1).loss,
                              lossAfter: moments(logits: logits, classes: classes, labels: labels, inverse: inverse).loss,
                              count: labels.count, atBound: atBound)
    }

    /// Mean loss and its slope d loss / d(1/T) = mean(E_p[logit] - logit_label), in Double.
    static func moments(logits: [Float], classes: Int, labels: [Int], inverse: Double) -> (loss: Double, slope: Double) {
        var loss = 0.0, slope = 0.0
        for i in 0..<labels.count {
            let row = (i * classes)..<((i + 1) * classes)
            let largest = Double(logits[row].max()!)
            var total = 0.0, weighted = 0.0
            for l in logits[row] {
                let e = exp(inverse * (Double(l) - largest))
                total += e
                weighted += e * Double(l)
            }
            let own = Double(logits[i * classes + labels[i]])
            loss += log(total) + inverse * (largest - own)
            slope += weighted / total - own
        }
        let n = Double(max(labels.count, 1))
        return (loss / n, slope / n)
    }

    static func check(logits: [Float], classes: Int, labels: [Int]) throws {
        guard classes >= 2 else { throw EvalError("calibrate", "temperature scaling needs logits of at least 2 classes, got \(classes)") }
        guard !labels.isEmpty else { throw EvalError("calibrate", "temperature scaling needs held-out windows; none were given") }
        guard logits.count == labels.count * classes else {
            throw EvalError("calibrate", "\(logits.count) logits are not \(labels.count) windows of \(classes) classes")
        }
        guard logits.allSatisfy(\.isFinite) else { throw EvalError("calibrate", "the model gave a non-finite logit on the held-out windows") }
        if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
            throw EvalError("calibrate", "label \(bad) is not a class of a \(classes)-class model (held-out windows must be labelled 0..\(classes - 1))")
        }
        guard Set(labels).count >= 2 else {
            throw EvalError("calibrate", "the held-out windows hold only class \(labels[0]); a temperature needs both deposits and negatives")
        }
    }
}
