import Foundation

/// Size and content of a built-in survey.
public struct SurveyPreset: Sendable, Equatable {
    public var name: String
    /// Extent in metres (east-west, north-south).
    public var width: Double
    public var height: Double
    public var cellSize: Double
    public var sampleCount: Int
    public var knownDeposits: Int
    public var hiddenDeposits: Int
    public var eastWestFaults: Int
    public var northEastFaults: Int
    public var splays: Int
    public var intrusions: Int
    public var domains: Int
    /// Minimum distance between two deposits (metres).
    public var depositSpacing: Double

    /// The paper's scale: 7 326 samples (one per ~4 km^2) over 170 x 170 km, a 1 700 x 1 700 grid at 100 m.
    public static let paper = SurveyPreset(name: "paper", width: 170_000, height: 170_000, cellSize: 100, sampleCount: 7326,
                                           knownDeposits: 11, hiddenDeposits: 29, eastWestFaults: 9, northEastFaults: 10,
                                           splays: 70, intrusions: 14, domains: 14, depositSpacing: 3000)
    /// A demo area of 40 x 40 km (400 x 400 cells), same density of samples and structures.
    public static let small = SurveyPreset(name: "small", width: 40_000, height: 40_000, cellSize: 100, sampleCount: 400,
                                           knownDeposits: 11, hiddenDeposits: 13, eastWestFaults: 2, northEastFaults: 2,
                                           splays: 5, intrusions: 3, domains: 5, depositSpacing: 1800)

    public static func named(_ name: String) throws -> SurveyPreset {
        switch name.lowercased() {
        case "paper": return .paper
        case "small": return .small
        default: throw GeoError("unknown survey preset '\(name)'", hint: "use paper or small")
        }
    }
}

/// One geochemical element of the survey: unit, typical background and detection limit.
struct ElementProfile {
    let name: String
    /// Median background (Au in ppb, others in ppm), typical of stream sediments.
    let background: Double
    /// Spread of the log10 background.
    let spread: Double
    let detectionLimit: Double
    /// log10 enrichment at a deposit centre per unit of deposit strength.
    let halo: Double
    /// log10 enrichment inside/near intrusions.
    let intrusion: Double
    /// Which correlated family the element belongs to (shared random field).
    let family: Int
}

enum SurveyElements {
    static let names = ["Au", "As", "Sb", "Hg", "Cu", "Pb", "Zn", "Bi", "Sn", "Mo", "W", "Co", "Li", "Ag"]
    // families: 0 Au-As-Sb-Hg, 1 Cu-Pb-Zn-Ag, 2 Bi-Mo-W-Sn, 3 Co-Li
    static let profiles: [ElementProfile] = [
        ElementProfile(name: "Au", background: 1.6, spread: 0.28, detectionLimit: 0.3, halo: 1.00, intrusion: 0.05, family: 0),
        ElementProfile(name: "As", background: 14, spread: 0.22, detectionLimit: 1, halo: 0.75, intrusion: 0.05, family: 0),
        ElementProfile(name: "Sb", background: 0.9, spread: 0.22, detectionLimit: 0.1, halo: 0.70, intrusion: 0.0, family: 0),
        ElementProfile(name: "Hg", background: 0.03, spread: 0.22, detectionLimit: 0.005, halo: 0.55, intrusion: 0.0, family: 0),
        ElementProfile(name: "Cu", background: 22, spread: 0.18, detectionLimit: 1, halo: 0.30, intrusion: 0.15, family: 1),
        ElementProfile(name: "Pb", background: 21, spread: 0.16, detectionLimit: 2, halo: 0.28, intrusion: 0.08, family: 1),
        ElementProfile(name: "Zn", background: 64, spread: 0.14, detectionLimit: 5, halo: 0.22, intrusion: 0.05, family: 1),
        ElementProfile(name: "Bi", background: 0.3, spread: 0.2, detectionLimit: 0.05, halo: 0.10, intrusion: 0.55, family: 2),
        ElementProfile(name: "Sn", background: 2.6, spread: 0.15, detectionLimit: 0.5, halo: 0.04, intrusion: 0.45, family: 2),
        ElementProfile(name: "Mo", background: 0.7, spread: 0.2, detectionLimit: 0.2, halo: 0.10, intrusion: 0.50, family: 2),
        ElementProfile(name: "W", background: 1.8, spread: 0.2, detectionLimit: 0.3, halo: 0.12, intrusion: 0.50, family: 2),
        ElementProfile(name: "Co", background: 11, spread: 0.12, detectionLimit: 1, halo: 0.0, intrusion: -0.15, family: 3),
        ElementProfile(name: "Li", background: 32, spread: 0.12, detectionLimit: 2, halo: 0.0, intrusion: -0.10, family: 3),
        ElementProfile(name: "Ag", background: 0.07, spread: 0.18, detectionLimit: 0.02, halo: 0.35, intrusion: 0.05, family: 1),
    ]

    /// log10 offsets of each lithology (rows) for each element (columns, in `names` order).
    static let lithologyNames = ["metamorphic basement", "volcanic-sedimentary", "carbonate", "Triassic clastics"]
    static let lithologyOffsets: [[Double]] = [
        // Au    As    Sb    Hg    Cu    Pb    Zn    Bi    Sn    Mo    W     Co    Li    Ag
        [0.05, 0.00, -0.05, -0.05, 0.05, 0.00, 0.05, 0.05, 0.05, 0.00, 0.10, 0.15, 0.05, 0.00],
        [0.10, 0.10, 0.05, 0.00, 0.20, 0.05, 0.15, 0.00, -0.05, 0.05, 0.00, 0.30, -0.10, 0.05],
        [-0.10, -0.05, 0.05, 0.15, -0.15, 0.15, 0.15, -0.10, -0.15, -0.05, -0.15, -0.25, -0.20, 0.05],
        [0.00, 0.10, 0.15, 0.05, 0.00, 0.05, 0.00, 0.00, 0.05, 0.00, 0.00, -0.05, 0.30, 0.00],
    ]
}
