import CLodeKernels
import Foundation
import XCTest

/// LODE_CPU at start chooses the kernels' path (`make test-portable` runs the numeric tests
/// under LODE_CPU=portable and relies on this); without it the best path the CPU has is used.
final class CPUPathTests: XCTestCase {
    func testPathInUseIsTheOneAskedForOrTheBest() throws {
        let inUse = String(cString: try XCTUnwrap(lode_cpu_path_name(lode_cpu_path())))
        let best = (0..<Int32(LODE_CPU_PATH_COUNT)).last { lode_cpu_path_available($0) != 0 }!
        if let requested = ProcessInfo.processInfo.environment["LODE_CPU"], !requested.isEmpty {
            let path = lode_cpu_path_named(requested)
            let runnable = path >= 0 && lode_cpu_path_available(path) != 0
            // A name the CPU cannot run falls back to the best path (with a warning on stderr).
            XCTAssertEqual(inUse, runnable ? requested : String(cString: lode_cpu_path_name(best)))
        } else {
            XCTAssertEqual(lode_cpu_path(), best)
        }
    }
}
