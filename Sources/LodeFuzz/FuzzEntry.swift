import Foundation
import LodeScript

/// Lexes, parses and runs one input in a fresh session with a step budget, so every input
/// terminates; also exercises completion, inspection and isComplete on the same text.
enum FuzzHarness {
    static func prepare() {
        LodeLimits.maximumLength = 100_000
    }

    static func run(_ text: String) {
        // Made and freed on a large stack: deeply nested values are freed recursively.
        Session.withLargeStack {
            let session = Session()
            session.stepLimit = 20_000
            session.maximumCallDepth = 200
            let output = CollectingOutput()
            _ = session.execute(text, cellName: "fuzz", output: output)
            let length = text.unicodeScalars.count
            _ = session.isComplete(text)
            _ = session.complete(text, cursor: length / 2)
            _ = session.inspect(text, cursor: length)
            session.reset()
        }
    }
}

#if LODE_FUZZING
/// libFuzzer's entry point, called by the driver for each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    FuzzHarness.run(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// SwiftPM gives an executable its own `main`, so this hands over to libFuzzer's driver.
@main
struct FuzzMain {
    static func main() {
        FuzzHarness.prepare()
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzzerTestOneInput))
    }
}
#else
/// Built without libFuzzer: replays the files given as arguments (crash reproducers, corpus).
@main
struct FuzzReplay {
    static func main() {
        FuzzHarness.prepare()
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                continue
            }
            FuzzHarness.run(String(decoding: data, as: UTF8.self))
            print("ok \(path)")
        }
    }
}
#endif
