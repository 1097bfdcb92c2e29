import XCTest
import LodeTensor

/// The one AUC, against pairs counted by hand.
final class RankAUCTests: XCTestCase {
    func testAUCMatchesHandComputedValues() {
        // 3 positives, 3 negatives; pairs won: (0.9 > all 3) + (0.6 > 0.5, 0.2) + (0.4 > 0.2) = 6, tie 0.5/0.5 counts half.
        let auc = rankAUC(scores: [0.9, 0.6, 0.4, 0.5, 0.2, 0.7], positives: [true, true, true, false, false, false])
        XCTAssertEqual(auc ?? -1, 6.0 / 9.0, accuracy: 1e-12)
        XCTAssertEqual(rankAUC(scores: [0.5, 0.5], positives: [true, false]) ?? -1, 0.5, accuracy: 1e-12)
        XCTAssertNil(rankAUC(scores: [0.1, 0.2], positives: [true, true]))
    }

    func testFromTwoGroups() {
        XCTAssertEqual(rankAUC(positives: [3, 4], negatives: [1, 2]), 1)
        // 1 vs {1, 0}: one tie (1/2) and one win, over 2 pairs.
        XCTAssertEqual(rankAUC(positives: [1], negatives: [1, 0]), 0.75)
        // 0 loses 3, 5 wins 3: 3 of 6 pairs.
        XCTAssertEqual(rankAUC(positives: [0, 5], negatives: [1, 2, 3]), 0.5)
        XCTAssertNil(rankAUC(positives: [], negatives: [1]))
    }
}
