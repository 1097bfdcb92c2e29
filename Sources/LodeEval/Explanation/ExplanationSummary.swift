import Foundation

extension Explanation {
    /// Layers by mean |SHAP|, largest first, with the additivity check: what a REPL prints.
    public var summary: String {
        var lines = ["SHAP (\(method)) for \(values.count) window\(values.count == 1 ? "" : "s"), "
                     + String(format: "base value %.4f, max additivity error %.2e", baseValues.first ?? .nan, maxAdditivityError)]
        let means = meanAbsoluteValues
        for f in featureNames.indices.sorted(by: { means[$0] > means[$1] }) {
            lines.append(String(format: "  %-10@ mean |SHAP| %.4f", featureNames[f] as NSString, means[f]))
        }
        return lines.joined(separator: "\n")
    }
}

extension ZoneSet {
    /// Counts per class and deposits captured: what a REPL prints.
    public var summary: String {
        var lines = ["\(zones.count) target zones (\(connectivity.rawValue)-connected), thresholds "
                     + String(format: "A %.3f, B %.3f, C %.3f", thresholds.a, thresholds.b, thresholds.c)]
        for grade in ProspectivityClass.allCases {
            let of = zones.filter { $0.grade == grade }
            guard !of.isEmpty else { continue }
            let area = of.reduce(0) { $0 + $1.area }
            let known = of.reduce(0) { $0 + $1.knownDeposits.count }, hidden = of.reduce(0) { $0 + $1.hiddenDeposits.count }
            lines.append("  \(grade.rawValue): \(of.count) zones, area \(String(format: "%.2f", area / 1e6)) km², known deposits \(known), hidden deposits \(hidden)")
        }
        return lines.joined(separator: "\n")
    }
}
