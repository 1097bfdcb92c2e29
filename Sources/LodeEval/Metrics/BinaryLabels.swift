/// Checks shared by every metric that compares labels with scores, so all metrics reject bad
/// input with the same words.
enum BinaryLabels {
    /// Labels must be 0 or 1, scores finite, and both of one length.
    static func validate(labels: [Int], scores: [Double], operation: String) throws {
        if labels.isEmpty {
            throw EvalError(operation, "the validation set is empty (0 labels, 0 scores)")
        }
        if labels.count != scores.count {
            throw EvalError(operation, "\(labels.count) labels but \(scores.count) scores; they must pair up")
        }
        if let index = labels.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw EvalError(operation, "label \(labels[index]) at index \(index) is not 0 or 1")
        }
        if let index = scores.firstIndex(where: { !$0.isFinite }) {
            throw EvalError(operation, "score \(scores[index]) at index \(index) is not a finite number")
        }
    }

    /// AUC and the ROC curve need both classes; with one class the false- or true-positive rate
    /// divides by zero.
    static func requireBothClasses(labels: [Int], operation: String) throws {
        let positives = labels.reduce(0, +)
        if positives == 0 || positives == labels.count {
            let only = positives == 0 ? "0 (barren)" : "1 (mineralised)"
            throw EvalError(operation,
                "AUC is undefined: all \(labels.count) labels are class \(only); the ROC curve needs at least one example of each class")
        }
    }
}
