import LodeEval
import LodeGeo
import LodeLibrary
import LodeNN
import XCTest

final class BridgesDataTests: XCTestCase {
    func makeDataset() throws -> Dataset {
        let values = testValues(5 * 2 * 4 * 4, seed: 7)
        return try Dataset(windows: values, count: 5, channels: 2, size: 4, labels: [1, 1, 0, 1, 0],
                           sourceIDs: ["D1", "D1", "N1", "D2", "N1"], centreX: [1, 2, 3, 4, 5], centreY: [6, 7, 8, 9, 10],
                           layerNames: ["Au", "fault_influence"])
    }

    func testDatasetRoundTripIsExact() throws {
        let geo = try makeDataset()
        let nn = try WindowDataset(geo)
        XCTAssertEqual(nn.windows.shape, [5, 2, 4, 4])
        XCTAssertEqual(nn.windows.scalars, geo.windows)
        XCTAssertEqual(nn.labels, [1, 1, 0, 1, 0])
        XCTAssertEqual(nn.groups, [0, 0, 1, 2, 1])
        let names = SourceGroups(geo.sourceIDs).names
        XCTAssertEqual(names, ["D1", "N1", "D2"])
        let back = try Dataset(nn, layerNames: geo.layerNames, sourceIDs: nn.groups?.map { names[$0] },
                               centreX: geo.centreX, centreY: geo.centreY)
        XCTAssertEqual(back.windows, geo.windows)
        XCTAssertEqual(back.labels, geo.labels)
        XCTAssertEqual(back.sourceIDs, geo.sourceIDs)
        XCTAssertEqual(back.shape, geo.shape)
        XCTAssertEqual(try geo.tensor().scalars, geo.windows)
    }

    func testSubsetFollowsIndicesInOrder() throws {
        let geo = try makeDataset()
        let nn = try WindowDataset(geo, indices: [3, 0])
        XCTAssertEqual(nn.labels, [1, 1])
        XCTAssertEqual(nn.groups, [0, 1])
        XCTAssertEqual(nn.windows.scalars, Array(geo.window(3)) + Array(geo.window(0)))
    }

    func testPredictionTilesAreRefusedForTraining() throws {
        var geo = try makeDataset()
        geo.labels[2] = -1
        XCTAssertThrowsError(try WindowDataset(geo)) { error in
            XCTAssertTrue("\(error)".contains("window 2 (N1) has no label"), "\(error)")
        }
    }
}
