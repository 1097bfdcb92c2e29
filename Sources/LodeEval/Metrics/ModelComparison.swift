import Foundation

/// One model evaluated on one split: the numbers the paper's comparison table reports.
public struct ComparisonRow: Equatable, Sendable {
    public var model: String
    public var split: String
    public var auc: Double
    public var confusion: ConfusionMatrix

    /// Scores the validation windows of one split.
    public init(model: String, split: String, labels: [Int], scores: [Double], threshold: Double = 0.5) throws {
        self.model = model
        self.split = split
        self.auc = try rocAUC(labels: labels, scores: scores)
        self.confusion = try confusionMatrix(labels: labels, scores: scores, threshold: threshold)
    }
}

/// Models x split kinds, as a value that prints as a Markdown table or CSV.
public struct ModelComparison: Equatable, Sendable {
    public var rows: [ComparisonRow] = []

    public init(rows: [ComparisonRow] = []) { self.rows = rows }

    public mutating func add(_ row: ComparisonRow) { rows.append(row) }

    public static let columns = ["model", "split", "AUC", "accuracy", "precision", "recall", "F1"]

    /// Cells as text, numbers to 4 decimals like the paper's AUCs.
    public var cells: [[String]] {
        rows.map { row in
            [row.model, row.split] + [row.auc, row.confusion.accuracy, row.confusion.precision,
                                      row.confusion.recall, row.confusion.f1]
                .map { String(format: "%.4f", $0) }
        }
    }

    public var markdown: String {
        var lines = ["| " + Self.columns.joined(separator: " | ") + " |",
                     "|" + Self.columns.map { _ in "---" }.joined(separator: "|") + "|"]
        lines += cells.map { "| " + $0.joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n")
    }

    public var csv: String {
        ([Self.columns] + cells).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}

/// Quotes a CSV field when it holds a separator, quote or line break.
func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
