import Foundation
import XCTest
@testable import LodeGeo

/// A fresh temporary folder per test.
func temporaryFolder(_ name: String = #function) throws -> String {
    let path = NSTemporaryDirectory() + "lodegeo-tests/" + name.filter { $0.isLetter || $0.isNumber } + "-\(getpid())"
    try? FileManager.default.removeItem(atPath: path)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs a GDAL command-line tool (gdal-bin) and returns its standard output.
@discardableResult
func runTool(_ tool: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorText = String(data: errors.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw GeoError("\(tool) failed: \(errorText)")
    }
    return String(data: data, encoding: .utf8) ?? ""
}

func write(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// Asserts that `body` throws a GeoError whose text contains every fragment.
func assertGeoError(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected an error mentioning \(fragments)", file: file, line: line)
    } catch let error as GeoError {
        for fragment in fragments {
            XCTAssertTrue(error.description.contains(fragment), "'\(error.description)' does not mention '\(fragment)'", file: file, line: line)
        }
    } catch {
        XCTFail("unexpected error type: \(error)", file: file, line: line)
    }
}

func sampleTable(_ x: [Double], _ y: [Double], _ columns: [[Double]]) -> SampleTable {
    SampleTable(x: x, y: y, ids: x.indices.map { "\($0 + 1)" }, elements: columns.indices.map { "E\($0)" },
                values: columns, censored: columns.map { $0.map { _ in false } }, crs: nil, source: "test", mergedDuplicates: 0)
}
