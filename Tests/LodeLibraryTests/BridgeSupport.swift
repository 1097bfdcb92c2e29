import Foundation
import LodeTensor
import XCTest

/// Output of a command-line tool (GDAL's utilities), failing the test when it fails.
func runTool(_ tool: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
    process.arguments = arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    if process.terminationStatus != 0 { XCTFail("\(tool) \(arguments) failed: \(errorText)") }
    return String(decoding: data, as: UTF8.self)
}

func temporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "lode-bridges-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Deterministic test values: the one random stream's draws mapped to [-2, 2).
func testValues(_ count: Int, seed: UInt64) -> [Float] {
    var random = RandomStream(seed: seed)
    return (0..<count).map { _ in Float(random.next() >> 40) / Float(1 << 24) * 4 - 2 }
}
