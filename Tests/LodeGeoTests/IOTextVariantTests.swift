import Foundation
import XCTest
@testable import LodeGeo
import LodeTensor

/// CSV files as spreadsheets, instruments and scripts write them all read to the same values.
final class IOTextVariantTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = try temporaryFolder(name)
    }

    /// Writes raw bytes, so line endings and encodings are exactly what the test says.
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func file(_ name: String, _ text: String) throws -> String {
        try file(name, Array(text.utf8))
    }

    // The reference: LF, comma, decimal points, UTF-8. Values known by hand.
    let lines = ["id,x,y,Au,site", "A1,500000.5,4000000.25,0.012,Mine", "A2,500100.75,4000200.5,<0.005,Prospect"]
    let expectedX = [500000.5, 500100.75]
    let expectedY = [4000000.25, 4000200.5]

    func assertReference(_ layer: PointLayer, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(layer.x, expectedX, label, file: file, line: line)
        XCTAssertEqual(layer.y, expectedY, label, file: file, line: line)
        XCTAssertEqual(layer.column(named: "Au"), ["0.012", "<0.005"], label, file: file, line: line)
        XCTAssertEqual(layer.column(named: "id"), ["A1", "A2"], label, file: file, line: line)
        XCTAssertEqual(layer.rowNumbers, [2, 3], label, file: file, line: line)
    }

    func testLineEndingsAndByteOrderMark() throws {
        let lf = try PointLayer.read(path: try file("lf.csv", lines.joined(separator: "\n") + "\n"))
        assertReference(lf, "LF")
        let crlf = try PointLayer.read(path: try file("crlf.csv", lines.joined(separator: "\r\n") + "\r\n"))
        assertReference(crlf, "CRLF")
        XCTAssertEqual(crlf.columnNames, lf.columnNames)
        XCTAssertEqual(crlf.columns, lf.columns)
        let cr = try PointLayer.read(path: try file("cr.csv", lines.joined(separator: "\r")))
        assertReference(cr, "CR")
        XCTAssertEqual(cr.columns, lf.columns)
        let bom = try PointLayer.read(path: try file("bom.csv", [0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r\n") + "\r\n").utf8)))
        assertReference(bom, "BOM")
        XCTAssertEqual(bom.columnNames.first, "id", "the byte-order mark is not part of the first column's name")
        // Python's csv.writer writes CRLF: the very case that used to read as "no points".
        let table = try DelimitedText.read(path: folder + "/crlf.csv")
        XCTAssertEqual(table.layout.lineEnding, "CRLF")
        XCTAssertEqual(try DelimitedText.read(path: folder + "/cr.csv").layout.lineEnding, "CR")
        XCTAssertEqual(try DelimitedText.read(path: folder + "/bom.csv").layout.encoding, "UTF-8 with BOM")
    }

    func testSeparatorsAndDecimalCommas() throws {
        let semicolon = lines.map { $0.replacingOccurrences(of: ",", with: ";") }
            .map { $0.replacingOccurrences(of: ".", with: ",") }
        let a = try PointLayer.read(path: try file("semicolon.csv", semicolon.joined(separator: "\r\n")))
        assertReference(a, "semicolon + decimal comma")
        let table = try DelimitedText.read(path: folder + "/semicolon.csv")
        XCTAssertEqual(table.layout.separator, ";")
        XCTAssertTrue(table.layout.decimalComma)
        let tab = lines.map { $0.replacingOccurrences(of: ",", with: "\t") }.map { $0.replacingOccurrences(of: ".", with: ",") }
        assertReference(try PointLayer.read(path: try file("tab.txt", tab.joined(separator: "\n"))), "tab + decimal comma")
        let plainTab = lines.map { $0.replacingOccurrences(of: ",", with: "\t") }
        assertReference(try PointLayer.read(path: try file("plain.tsv", plainTab.joined(separator: "\n"))), "tab")
        let spaces = lines.map { $0.replacingOccurrences(of: ",", with: "   ") }
        assertReference(try PointLayer.read(path: try file("spaces.dat", spaces.joined(separator: "\n") + "\n")), "spaces")
        // Decimal commas in integer-looking columns only: detection cannot tell, the option can.
        let ambiguous = try file("ambiguous.csv", "x;y;Au\n1,5;2;3\n")
        XCTAssertEqual(try PointLayer.read(path: ambiguous).x, [1.5])
        XCTAssertEqual(try PointLayer.read(path: ambiguous, decimal: ",").x, [1.5])
        assertGeoError([ambiguous, "'1,5' is not a coordinate", "row 2"]) { _ = try PointLayer.read(path: ambiguous, decimal: ".") }
        // A separator given by hand wins over detection.
        let forced = try file("forced.csv", "x|y|Au\n1|2|3\n")
        XCTAssertEqual(try PointLayer.read(path: forced, separator: "|").y, [2])
    }

    func testQuotedFields() throws {
        let text = "id,x,y,Au,site\r\n"
            + "A1,500000.5,4000000.25,0.012,\"Mine, old \"\"Rose\"\" shaft\"\r\n"
            + "A2,500100.75,4000200.5,<0.005,\"two\r\nlines\"\r\n"
        let layer = try PointLayer.read(path: try file("quoted.csv", text))
        assertReference(layer, "quoted")
        XCTAssertEqual(layer.column(named: "site"), ["Mine, old \"Rose\" shaft", "two\r\nlines"])
        // A record after a quoted line break keeps counting lines of the file.
        let after = try file("after.csv", "x,y,note\n1,2,\"a\nb\"\n3,4\n")
        assertGeoError([after, "row 4", "2 values", "3 columns"]) { _ = try PointLayer.read(path: after) }
        let spaced = try PointLayer.read(path: try file("spaced.csv", "x, y, note\n1, 2, \"a, b\"\n"))
        XCTAssertEqual(spaced.column(named: "note"), ["a, b"])
    }

    func testLatin1AndBadText() throws {
        // "é" as the single byte 0xE9, as older Windows software saves it.
        let latin = Array("id,x,y,Au,site\nA1,500000.5,4000000.25,0.012,Mine\nA2,500100.75,4000200.5,<0.005,Prospect ".utf8) + [0xE9] + Array("\n".utf8)
        let layer = try PointLayer.read(path: try file("latin1.csv", latin))
        assertReference(layer, "Latin-1")
        XCTAssertEqual(layer.column(named: "site")?.last, "Prospect é")
        XCTAssertEqual(try DelimitedText.read(path: folder + "/latin1.csv").layout.encoding, "Latin-1")
        let unclosed = try file("unclosed.csv", "x,y,note\n1,2,ok\n3,4,\"never closed\n5,6,x\n")
        assertGeoError([unclosed, "row 3", "never closed"]) { _ = try PointLayer.read(path: unclosed) }
        let binary = try file("binary.csv", [0x78, 0x2C, 0x79, 0x0A, 0x00, 0x01, 0x02])
        assertGeoError([binary, "not text", "row 2"]) { _ = try PointLayer.read(path: binary) }
        let utf16 = try file("utf16.csv", [0xFF, 0xFE] + Array("x,y\n1,2\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        XCTAssertEqual(try PointLayer.read(path: utf16).y, [2])
    }

    func testTrailingSeparatorAndCommentLines() throws {
        let layer = try PointLayer.read(path: try file("trailing.csv", "# exported 2021\nx,y,Au,\n1,2,3,\n\n4,5,6,\n"))
        XCTAssertEqual(layer.columnNames, ["Au"])
        XCTAssertEqual(layer.x, [1, 4])
        XCTAssertEqual(layer.rowNumbers, [3, 5])
    }

    func testIdColumnAndDegreesWarning() throws {
        let path = try file("sites.csv", "X,Y,SHORT_NAME\n119.57,-31.64,Margaret Rose\n119.56,-31.65,McIntosh\n")
        let warnings = WarningLog()
        let layer = try warnings.collecting { try PointLayer.read(path: path, idColumn: "short_name") }
        XCTAssertEqual(layer.ids, ["Margaret Rose", "McIntosh"])
        XCTAssertEqual(warnings.items.count, 1)
        XCTAssertTrue(warnings.items[0].contains("longitude/latitude") && warnings.items[0].contains("EPSG:4326"), warnings.items[0])
        let quiet = WarningLog()
        _ = try quiet.collecting { try PointLayer.read(path: path, crs: try CRS(epsg: 4326)) }
        XCTAssertEqual(quiet.items, [])
    }
}

/// Collects what library code tells the user through `WorkMonitor.warn`.
final class WarningLog: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []

    var items: [String] { lock.withLock { collected } }

    func collecting<T>(_ body: () throws -> T) rethrows -> T {
        let monitor = WorkMonitor(isCancelled: { false }, report: { _, _ in }, warning: { [self] text in
            lock.withLock { collected.append(text) }
        })
        return try WorkMonitor.$current.withValue(monitor) { try body() }
    }
}
