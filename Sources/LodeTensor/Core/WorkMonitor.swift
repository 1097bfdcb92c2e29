import Dispatch
import Foundation

/// The one progress-and-interrupt hook of long domain work (IDW, kriging, augmentation, window
/// cutting, ...). The command layer installs a monitor around each command; library code calls
/// `WorkMonitor.checkpoint` between pieces of work (at least every 100 ms), which reports the
/// fraction done and throws `WorkInterrupted` once the user has asked to stop. Without a
/// monitor (plain Swift use) a checkpoint does nothing. Odd but legal input (a constant layer,
/// points dropped at the map edge) is reported with `warn`, which the user sees.
public final class WorkMonitor: @unchecked Sendable {
    let isCancelled: @Sendable () -> Bool
    let report: @Sendable (Double, String) -> Void
    let warning: @Sendable (String) -> Void

    public init(isCancelled: @escaping @Sendable () -> Bool,
                report: @escaping @Sendable (Double, String) -> Void,
                warning: @escaping @Sendable (String) -> Void = { _ in }) {
        self.isCancelled = isCancelled
        self.report = report
        self.warning = warning
    }

    /// Tells the user about odd but legal input through the current monitor (nothing without one).
    public static func warn(_ message: String) {
        current?.warning(message)
    }

    /// The monitor of the command running on this thread (bound with `$current.withValue`).
    @TaskLocal public static var current: WorkMonitor?

    /// True when the work should stop; safe from worker threads given the captured monitor.
    public var cancelled: Bool { isCancelled() }

    private let reportLock = NSLock()
    private var lastReport: UInt64 = 0
    /// Reports closer together than this are dropped: work may check for an interrupt after
    /// every small piece (a window, a block of cells) without flooding the progress display.
    static let reportInterval: UInt64 = 50_000_000

    /// Reports `fraction` (0...1) of `what` (at most every 50 ms) and throws if the user asked to stop.
    public func checkpoint(_ fraction: Double, _ what: String) throws {
        if isCancelled() { throw WorkInterrupted(what: what, fraction: fraction) }
        let now = DispatchTime.now().uptimeNanoseconds
        let due = reportLock.withLock {
            guard lastReport == 0 || now - lastReport >= WorkMonitor.reportInterval else { return false }
            lastReport = now
            return true
        }
        if due { report(fraction, what) }
    }

    /// `checkpoint` on the current monitor, if any.
    public static func checkpoint(_ fraction: Double, _ what: String) throws {
        try current?.checkpoint(fraction, what)
    }
}

/// Long work stopped at a user's request; the command layer turns it into `Interrupted`.
public struct WorkInterrupted: Error, CustomStringConvertible {
    public var what: String
    public var fraction: Double

    public init(what: String, fraction: Double) {
        self.what = what
        self.fraction = fraction
    }

    public var description: String {
        "\(what) interrupted at \(Int((fraction * 100).rounded())) %"
    }
}

extension WorkMonitor {
    /// Elementary operations one batch of `concurrentBatches` aims at: tens of milliseconds,
    /// so a checkpoint (progress and interrupt) comes many times a second.
    static let operationsPerBatch = 3e7

    /// Runs `body(i)` for every i in 0..<count on all cores, in batches of about
    /// `operationsPerBatch` given `costPerItem` (elementary operations per item), with a
    /// checkpoint of the current monitor before each batch: long loops report progress and
    /// stop within a fraction of a second of an interrupt. `span` is the part of the whole
    /// command this loop is (k-means runs one loop per iteration, augmentation one per class),
    /// so the progress shown rises once instead of restarting at 0 with every loop.
    public static func concurrentBatches(count: Int, costPerItem: Double, what: String,
                                         span: ClosedRange<Double> = 0...1,
                                         _ body: (Int) -> Void) throws {
        let monitor = current
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let byCost = operationsPerBatch / max(costPerItem, 1)
        let perBatch = max(cores, byCost >= Double(count) ? count : Int(byCost))
        var start = 0
        while start < count {
            try monitor?.checkpoint(span.lowerBound + (span.upperBound - span.lowerBound) * Double(start) / Double(count), what)
            let end = min(count, start + perBatch)
            let first = start
            WorkerPool.shared.run(end - first) { body(first + $0) }
            start = end
        }
    }
}
