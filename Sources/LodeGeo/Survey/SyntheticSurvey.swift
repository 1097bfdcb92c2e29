import Foundation
import LodeTensor

/// The built-in East-Kunlun-like study area (see PAPER.md section 7): NE- and E-W-trending faults
/// with splays, Late-Triassic intrusions, lithological domains, gold deposits at fault
/// intersections, bends and intrusion contacts, and a stream-sediment survey of 14 elements with
/// log-normal, spatially correlated backgrounds, fault-elongated ore halos (Au-As-Sb-Hg strongest,
/// Cu-Pb-Zn-Ag weaker), Bi-Mo-W-Sn around intrusions, Co-Li following lithology, analytical
/// noise, below-detection values, a few missing codes and outliers. Fully determined by
/// (preset, seed). Map coordinates are UTM zone 46N (EPSG:32646).
public struct SyntheticSurvey: Sendable {
    public static let elements = SurveyElements.names
    public static let crsCode = 32646
    /// South-west corner of the area in UTM 46N metres (about 90.0 E, 35.9 N).
    public static let westEdge = 400_000.0
    public static let southEdge = 3_980_000.0

    public let preset: SurveyPreset
    public let seed: UInt64
    /// Raw survey as a laboratory would deliver it: id, 14 element columns as text ("<0.3" below
    /// detection, "-9999" not analysed).
    public let samples: PointLayer
    public let faults: LineLayer
    /// Deposits used for training (the paper's 11).
    public let knownDeposits: PointLayer
    /// Deposits kept for evaluation only.
    public let hiddenDeposits: PointLayer
    public let intrusions: [Intrusion]
    public let grid: GridSpec
    let domains: Domains
    let offset: SIMD2<Double>

    public var crs: CRS { grid.crs! }

    /// The lithology code (index into `lithologyNames`) at a map position; intrusions are code 4.
    public func lithology(x: Double, y: Double) -> Int {
        let p = SIMD2(x, y) - offset
        if intrusions.contains(where: { $0.contactDistance(p) < 0 }) { return 4 }
        return domains.lithology(p)
    }

    public static var lithologyNames: [String] { SurveyElements.lithologyNames + ["Late-Triassic intrusion"] }

    public static func generate(preset: SurveyPreset = .paper, seed: UInt64 = 42) throws -> SyntheticSurvey {
        try SyntheticSurvey(preset: preset, seed: seed)
    }

    init(preset: SurveyPreset, seed: UInt64) throws {
        self.preset = preset
        self.seed = seed
        let crs = try CRS(epsg: SyntheticSurvey.crsCode)
        let width = preset.width, height = preset.height
        let offset = SIMD2(SyntheticSurvey.westEdge, SyntheticSurvey.southEdge)
        self.offset = offset
        grid = try GridSpec(west: offset.x, north: offset.y + height, cellSize: preset.cellSize,
                            rows: Int(height / preset.cellSize), cols: Int(width / preset.cellSize), crs: crs)
        var random = RandomStream(seed: seed, skipping: 1)
        var structureRandom = random.derived(1)
        let diagonal = (width * width + height * height).squareRoot()

        // Faults: E-W and NE families of sinuous lines across the area, then splays.
        var lines: [[SIMD2<Double>]] = []
        var names: [String] = []
        for i in 0..<preset.eastWestFaults {
            let y = height * (Double(i) + structureRandom.uniform(0.25, 0.75)) / Double(preset.eastWestFaults)
            let tilt = structureRandom.uniform(-6, 6) * Double.pi / 180
            lines.append(FaultBuilder.sinuous(origin: SIMD2(width / 2, y), direction: SIMD2(cos(tilt), sin(tilt)),
                                              reach: diagonal / 2 + 2000, step: 1500,
                                              amplitude: structureRandom.uniform(800, 2500), wavelength: structureRandom.uniform(18_000, 45_000),
                                              random: &structureRandom))
            names.append("F-EW\(i + 1)")
        }
        for i in 0..<preset.northEastFaults {
            let along = (Double(i) + structureRandom.uniform(0.2, 0.8)) / Double(preset.northEastFaults)
            let origin = SIMD2(width * along, height * structureRandom.uniform(0.3, 0.7))
            let azimuth = structureRandom.uniform(35, 55) * Double.pi / 180
            lines.append(FaultBuilder.sinuous(origin: origin, direction: SIMD2(cos(azimuth), sin(azimuth)),
                                              reach: diagonal / 2 + 2000, step: 1500,
                                              amplitude: structureRandom.uniform(600, 2000), wavelength: structureRandom.uniform(15_000, 40_000),
                                              random: &structureRandom))
            names.append("F-NE\(i + 1)")
        }
        let mainFaults = lines
        for i in 0..<preset.splays {
            let parent = mainFaults[structureRandom.index(below: mainFaults.count)]
            let k = structureRandom.index(below: parent.count - 1)
            let start = parent[k]
            var strike = parent[k + 1] - start
            strike /= (strike * strike).sum().squareRoot()
            let turn = (structureRandom.nextUnit() < 0.5 ? -1.0 : 1.0) * structureRandom.uniform(20, 40) * Double.pi / 180
            let direction = SIMD2(strike.x * cos(turn) - strike.y * sin(turn), strike.x * sin(turn) + strike.y * cos(turn))
            let length = structureRandom.uniform(4000, 14_000)
            var splay = FaultBuilder.sinuous(origin: start + direction * (length / 2), direction: direction, reach: length / 2, step: 1000,
                                             amplitude: structureRandom.uniform(100, 500), wavelength: structureRandom.uniform(6000, 12_000),
                                             random: &structureRandom)
            splay[0] = start
            lines.append(splay)
            names.append("F-S\(i + 1)")
        }

        // Intrusions, preferably close to faults.
        var intrusionList: [Intrusion] = []
        for _ in 0..<preset.intrusions {
            let fault = mainFaults[structureRandom.index(below: mainFaults.count)]
            var anchor = fault[structureRandom.index(below: fault.count)]
            var tries = 0
            while (anchor.x < 2000 || anchor.x > width - 2000 || anchor.y < 2000 || anchor.y > height - 2000) && tries < 50 {
                anchor = fault[structureRandom.index(below: fault.count)]
                tries += 1
            }
            let a = structureRandom.uniform(1500, 5000) * min(1, width / 80_000 + 0.5)
            intrusionList.append(Intrusion(centre: anchor + SIMD2(structureRandom.uniform(-4000, 4000), structureRandom.uniform(-4000, 4000)),
                                           semiMajor: a, semiMinor: a * structureRandom.uniform(0.45, 0.9),
                                           angle: structureRandom.uniform(0, Double.pi)))
        }
        intrusions = intrusionList.map { var i = $0; i.centre += offset; return i }

        var domainRandom = random.derived(2)
        let domains = Domains(seeds: (0..<preset.domains).map { _ in SIMD2(domainRandom.uniform(0, width), domainRandom.uniform(0, height)) },
                          lithology: (0..<preset.domains).map { _ in domainRandom.index(below: 4) },
                          warpX: RandomField(random: &domainRandom, waves: 16, shortest: 8000, longest: 50_000),
                          warpY: RandomField(random: &domainRandom, waves: 16, shortest: 8000, longest: 50_000))
        self.domains = domains

        // Deposit sites: fault intersections, bends, and intrusion contacts near faults.
        var depositRandom = random.derived(3)
        let deposits = SyntheticSurvey.placeDeposits(preset: preset, lines: lines, mainFaultCount: mainFaults.count,
                                                     intrusions: intrusionList, random: &depositRandom)
        // Decoys: barren alteration along faults that carries As-Sb-Hg and some Au (false positives).
        let decoys = SyntheticSurvey.placeDecoys(count: deposits.count, lines: lines, width: width, height: height,
                                                 random: &depositRandom)

        // The survey.
        var sampleRandom = random.derived(4)
        let sites = SyntheticSurvey.sampleSites(preset: preset, random: &sampleRandom)
        var fieldRandom = random.derived(5)
        let shared = RandomField(random: &fieldRandom)
        let families = (0..<4).map { _ in RandomField(random: &fieldRandom) }
        let own = SurveyElements.profiles.map { _ in RandomField(random: &fieldRandom, waves: 32, shortest: 3000, longest: 25_000) }
        let segments = lines.flatMap { line in (0..<(line.count - 1)).map { (line[$0], line[$0 + 1]) } }
        var noiseRandom = random.derived(6)
        let profiles = SurveyElements.profiles
        var columns = [[String]](repeating: [], count: profiles.count)
        for site in sites {
            let lithology = domains.lithology(site)
            let contact = intrusionList.map { $0.contactDistance(site) }.min() ?? .infinity
            let faultDistance = segments.reduce(Double.infinity) { min($0, FaultDistance.pointToSegment(site, $1.0, $1.1)) }
            let s = shared.value(site)
            let familyValues = families.map { $0.value(site) }
            var halo = 0.0
            for deposit in deposits { halo += SyntheticSurvey.haloStrength(deposit, at: site) }
            var decoy = 0.0
            for d in decoys { decoy += SyntheticSurvey.haloStrength(d, at: site) }
            let intrusionEffect = contact < 0 ? 1.0 : exp(-contact / 1500)
            let faultEffect = exp(-faultDistance / 700)
            for (e, profile) in profiles.enumerated() {
                var logValue = log10(profile.background)
                logValue += lithology == 4 ? 0 : SurveyElements.lithologyOffsets[lithology][e]
                logValue += profile.spread * (0.45 * s + 0.5 * familyValues[profile.family] + 0.74 * own[e].value(site))
                logValue += profile.halo * halo
                logValue += profile.intrusion * intrusionEffect
                if profile.family == 0 {
                    // Barren structures: weak Au-As-Sb-Hg along every fault, and decoy alteration.
                    logValue += 0.05 * faultEffect + (e == 0 ? 0.8 : 1.0) * profile.halo * decoy
                }
                logValue += 0.04 * noiseRandom.gaussian()  // analytical noise
                var value = pow(10, logValue)
                let draw = noiseRandom.nextUnit()
                if draw < 0.0008 { value *= pow(10, noiseRandom.uniform(1, 1.7)) }  // outliers
                let text: String
                if draw > 0.9988 {
                    text = "-9999"
                } else if value < profile.detectionLimit {
                    text = "<" + SyntheticSurvey.format(profile.detectionLimit)
                } else {
                    text = SyntheticSurvey.format(value)
                }
                columns[e].append(text)
            }
        }
        let ids = (1...sites.count).map { String(format: "S%05d", $0) }
        let sampleLayer = try PointLayer(x: sites.map { $0.x + offset.x }, y: sites.map { $0.y + offset.y },
                                 columnNames: ["id"] + profiles.map(\.name), columns: [ids] + columns,
                                 crs: crs, source: "synthetic survey '\(preset.name)' seed \(seed)", idColumn: "id")
        samples = sampleLayer
        faults = try LineLayer(lines: lines.map { $0.map { $0 + offset } }, names: names, crs: crs,
                               source: "synthetic survey '\(preset.name)' faults")

        // Known (11) and hidden deposits: a seeded shuffle.
        var splitRandom = random.derived(7)
        let order = splitRandom.permutation(deposits.count)
        let presetName = preset.name
        func layer(_ indices: [Int], status: String) throws -> PointLayer {
            let chosen = indices.map { deposits[$0] }
            return try PointLayer(x: chosen.map { $0.position.x + offset.x }, y: chosen.map { $0.position.y + offset.y },
                                  columnNames: ["id", "kind", "status"],
                                  columns: [indices.map { String(format: "D%02d", $0 + 1) }, chosen.map(\.kind), chosen.map { _ in status }],
                                  crs: crs, source: "synthetic survey '\(presetName)' \(status) deposits", idColumn: "id")
        }
        let knownCount = min(preset.knownDeposits, deposits.count)
        knownDeposits = try layer(Array(order.prefix(knownCount)), status: "known")
        hiddenDeposits = try layer(Array(order.dropFirst(knownCount)), status: "hidden")
    }

    static func format(_ value: Double) -> String {
        let text = String(format: "%.3g", value)
        return text.contains("e") ? String(format: "%.4f", value) : text
    }

    static func haloStrength(_ deposit: SyntheticDeposit, at p: SIMD2<Double>) -> Double {
        let d = p - deposit.position
        let along = (d * deposit.strike).sum()
        let across = d.x * -deposit.strike.y + d.y * deposit.strike.x
        let q = (along / deposit.alongSpread) * (along / deposit.alongSpread) + (across / deposit.acrossSpread) * (across / deposit.acrossSpread)
        return q > 30 ? 0 : deposit.strength * exp(-0.5 * q)
    }

    static func sampleSites(preset: SurveyPreset, random: inout RandomStream) -> [SIMD2<Double>] {
        // Jittered lattice slightly denser than needed, then a seeded thinning to the exact count.
        let spacing = (preset.width * preset.height / (Double(preset.sampleCount) * 1.04)).squareRoot()
        var sites: [SIMD2<Double>] = []
        var y = spacing / 2
        while y < preset.height {
            var x = spacing / 2
            while x < preset.width {
                let p = SIMD2(x + random.uniform(-0.4, 0.4) * spacing, y + random.uniform(-0.4, 0.4) * spacing)
                if p.x > 0, p.x < preset.width, p.y > 0, p.y < preset.height { sites.append(p) }
                x += spacing
            }
            y += spacing
        }
        let keep = random.permutation(sites.count).prefix(preset.sampleCount).sorted()
        return keep.map { sites[$0] }
    }

    static func strike(of line: [SIMD2<Double>], at k: Int) -> SIMD2<Double> {
        let a = line[max(k - 1, 0)], b = line[min(k + 1, line.count - 1)]
        let d = b - a
        return d / max((d * d).sum().squareRoot(), 1e-9)
    }

    static func placeDeposits(preset: SurveyPreset, lines: [[SIMD2<Double>]], mainFaultCount: Int, intrusions: [Intrusion],
                              random: inout RandomStream) -> [SyntheticDeposit] {
        let margin = 2500.0
        func inside(_ p: SIMD2<Double>) -> Bool {
            p.x > margin && p.x < preset.width - margin && p.y > margin && p.y < preset.height - margin
        }
        var candidates: [(SIMD2<Double>, SIMD2<Double>, String, Double)] = []  // position, strike, kind, weight
        for a in 0..<lines.count {
            for b in (a + 1)..<lines.count {
                for i in 0..<(lines[a].count - 1) {
                    for j in 0..<(lines[b].count - 1) {
                        if let p = FaultBuilder.intersection(lines[a][i], lines[a][i + 1], lines[b][j], lines[b][j + 1]), inside(p) {
                            candidates.append((p, strike(of: lines[a], at: i), "fault intersection", 3))
                        }
                    }
                }
            }
        }
        for line in lines.prefix(mainFaultCount) {
            for k in 1..<(line.count - 1) where inside(line[k]) {
                let u = line[k] - line[k - 1], v = line[k + 1] - line[k]
                let turn = abs(atan2(u.x * v.y - u.y * v.x, (u * v).sum()))
                if turn > 4 * Double.pi / 180 { candidates.append((line[k], strike(of: line, at: k), "fault bend", 1)) }
            }
        }
        for intrusion in intrusions {
            for p in intrusion.boundary(points: 24) where inside(p) {
                for line in lines {
                    if let k = line.indices.first(where: { ((line[$0] - p) * (line[$0] - p)).sum() < 2000 * 2000 }) {
                        candidates.append((p, strike(of: line, at: k), "intrusion contact", 1.5))
                        break
                    }
                }
            }
        }
        let wanted = preset.knownDeposits + preset.hiddenDeposits
        var chosen: [SyntheticDeposit] = []
        var weights = candidates.map(\.3)
        var attempts = 0
        while chosen.count < wanted && attempts < 20 * candidates.count && !candidates.isEmpty {
            attempts += 1
            let total = weights.reduce(0, +)
            guard total > 0 else { break }
            var target = random.nextUnit() * total
            var pick = 0
            for (i, w) in weights.enumerated() { target -= w; if target <= 0 { pick = i; break } }
            weights[pick] = 0
            let (site, strike, kind, _) = candidates[pick]
            // Ores sit beside the structure, not on its trace: offset across strike.
            let across = SIMD2(-strike.y, strike.x)
            let offsetDistance = random.nextUnit() < 0.45 ? random.uniform(1200, 3500) : abs(random.gaussian()) * 500
            let p = site + across * (random.nextUnit() < 0.5 ? -offsetDistance : offsetDistance)
            guard inside(p), chosen.allSatisfy({ (($0.position - p) * ($0.position - p)).sum() >= preset.depositSpacing * preset.depositSpacing }) else { continue }
            // Deposit strength is very uneven: a few strong, many weak or blind.
            let strength = exp(random.gaussian() * 0.7 - 0.85)
            chosen.append(SyntheticDeposit(position: p, kind: kind, strike: strike, strength: strength,
                                           alongSpread: random.uniform(1800, 4000), acrossSpread: random.uniform(500, 1000)))
        }
        return chosen
    }

    static func placeDecoys(count: Int, lines: [[SIMD2<Double>]], width: Double, height: Double,
                            random: inout RandomStream) -> [SyntheticDeposit] {
        (0..<count).compactMap { _ in
            let line = lines[random.index(below: lines.count)]
            let k = random.index(below: line.count)
            let p = line[k]
            guard p.x > 0, p.x < width, p.y > 0, p.y < height else { return nil }
            return SyntheticDeposit(position: p, kind: "barren alteration", strike: strike(of: line, at: k),
                                    strength: exp(random.gaussian() * 0.5 - 0.9), alongSpread: random.uniform(2000, 5000),
                                    acrossSpread: random.uniform(600, 1200))
        }
    }
}
