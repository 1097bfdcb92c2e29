import Foundation
import LodeGeo
import LodeLibrary
import LodeScript
import XCTest

/// The geo commands give exactly what LodeGeo computes, and raster algebra works cell by cell.
final class GeoBindingTests: XCTestCase {
    static let prelude = """
        survey = synthetic_survey(preset: "small", seed: 7)
        g = grid(survey.extent, cell: 400)
        geo = idw(survey.samples, ["Au", "As"], g, power: 2)
        """

    func reference() throws -> (SyntheticSurvey, GridSpec, RasterStack) {
        let survey = try SyntheticSurvey.generate(preset: .small, seed: 7)
        let grid = try GridSpec(extent: survey.grid.extent, cellSize: 400, crs: survey.grid.crs)
        let table = try survey.samples.cleaned(elements: ["Au", "As"])
        return (survey, grid, try IDW.interpolate(table, onto: grid, elements: ["Au", "As"]))
    }

    func testIDWCommandEqualsIDWInterpolate() throws {
        let session = librarySession()
        session.run(Self.prelude)
        let stack = try XCTUnwrap(session.object("geo", as: StackObject.self)).stack
        let (_, grid, expected) = try reference()
        XCTAssertEqual(stack.names, ["Au", "As"])
        XCTAssertEqual(stack.grid, grid)
        XCTAssertEqual(stack.layers[0].values, expected.layers[0].values)
        XCTAssertEqual(stack.layers[1].values, expected.layers[1].values)
    }

    func testRasterAlgebraEqualsLodeGeoComputation() throws {
        let session = librarySession()
        session.run(Self.prelude + """

            r = log10(geo["Au"]) - 1
            ratio = geo["Au"] / geo["As"]
            z = geo |> log10 |> zscore
            """)
        let (_, _, expected) = try reference()
        let logged = try expected.layers[0].log10Transformed()
        let r = try XCTUnwrap(session.object("r", as: RasterObject.self)).raster
        XCTAssertEqual(r.values.count, logged.values.count)
        for (got, want) in zip(r.values, logged.values.map { $0 - 1 }) {
            XCTAssertTrue(got == want || (got.isNaN && want.isNaN), "\(got) vs \(want)")
        }
        let ratio = try XCTUnwrap(session.object("ratio", as: RasterObject.self)).raster
        XCTAssertEqual(ratio.values[5], expected.layers[0].values[5] / expected.layers[1].values[5])
        let z = try XCTUnwrap(session.object("z", as: StackObject.self)).stack
        XCTAssertEqual(z.layers[1].values, try expected.layers[1].log10Transformed().standardized().values)
        // log10 of a plain number still works as the math builtin.
        XCTAssertEqual(session.run("log10(1000)")?.plainText, "3")
    }

    func testStackIndexingAndSummaries() throws {
        let session = librarySession()
        session.run(Self.prelude + """

            faults = rename(zscore(ring_buffer(survey.faults, g)), "faults")
            s = stack(geo, faults)
            names = s.names
            second = s[1].name
            au_rows = s["Au"].rows
            """)
        XCTAssertEqual(session.value(of: "names"), .list(["Au", "As", "faults"]))
        XCTAssertEqual(session.value(of: "second"), .string("As"))
        let (_, grid, _) = try reference()
        XCTAssertEqual(session.number("au_rows"), Double(grid.rows))
        let text = try XCTUnwrap(session.run("s")?.plainText)
        XCTAssertTrue(text.hasPrefix("stack of 3 layers \(grid.rows)×\(grid.cols)"), text)
        let summary = try XCTUnwrap(session.run("summary(survey.samples, elements: [\"Au\"])"))
        XCTAssertNotNil(summary.data["text/html"])
        let (survey, _, _) = try reference()
        let median = try survey.samples.cleaned(elements: ["Au"]).summary()[0].median
        XCTAssertTrue(summary.plainText?.contains(String(format: "%.4f", median)) ?? false, summary.plainText ?? "")
    }

    func testErrorsNameTheCommandAndArgument() throws {
        let session = librarySession()
        session.run(Self.prelude)
        let unknown = try XCTUnwrap(session.failure("idw(survey.samples, [\"Unobtainium\"], g)"))
        XCTAssertTrue(unknown.contains("idw()"), unknown)
        XCTAssertTrue(unknown.contains("Unobtainium"), unknown)
        let wrongType = try XCTUnwrap(session.failure("idw(survey.samples, [\"Au\"], 5)"))
        XCTAssertTrue(wrongType.contains("'grid'") && wrongType.contains("idw"), wrongType)
        let badSplit = try XCTUnwrap(session.failure("split(windows(stack(geo), survey.deposits, survey.deposits, size: 8), 0.2, kind: \"diagonal\")"))
        XCTAssertTrue(badSplit.contains("split()") || badSplit.contains("windows()"), badSplit)
        let grids = try XCTUnwrap(session.failure("geo[\"Au\"] + idw(survey.samples, [\"Au\"], grid(survey.extent, cell: 800))[\"Au\"]"))
        XCTAssertTrue(grids.contains("different grids"), grids)
    }
}
