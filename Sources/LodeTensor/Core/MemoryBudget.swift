import Foundation

/// How much memory one request may take, and the one check every user-given size goes through
/// before anything is allocated (tensor shapes, layer widths, grid cells × layers, windows).
/// A request the machine cannot hold becomes an error that says the size asked for, the memory
/// it needs and what to change, instead of an allocation failure that kills the session.
public enum MemoryBudget {
    /// Bytes one request may use: `LODE_MEMORY_LIMIT` (e.g. "2G", "512M", bytes) when set,
    /// otherwise three quarters of the physical memory (and never more than the address-space limit).
    public static let limit: Double = {
        if let text = ProcessInfo.processInfo.environment["LODE_MEMORY_LIMIT"],
           let bytes = parseBytes(text) {
            return bytes
        }
        let physical = Double(ProcessInfo.processInfo.physicalMemory)
        var budget = physical > 0 ? physical * 0.75 : 4 * 1_073_741_824
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            budget = min(budget, Double(limit.rlim_cur) * 0.75)
        }
        return budget
    }()

    /// "2G", "512M", "64k" or a plain number of bytes.
    static func parseBytes(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Double)] = [("T", 1_099_511_627_776), ("G", 1_073_741_824), ("M", 1_048_576), ("K", 1024)]
        for (suffix, factor) in units {
            for form in [suffix + "IB", suffix + "B", suffix] where trimmed.hasSuffix(form) {
                guard let value = Double(trimmed.dropLast(form.count)), value > 0 else { return nil }
                return value * factor
            }
        }
        guard let value = Double(trimmed), value > 0 else { return nil }
        return value
    }

    /// The element count of a shape, checked: no negative or non-finite size, no overflow.
    public static func elementCount(_ shape: [Int], what: String) throws -> Int {
        if let negative = shape.first(where: { $0 < 0 }) {
            throw TensorError(op: what, "a size cannot be negative, got \(negative) in shape \(shape)")
        }
        let count = shape.reduce(1.0) { $0 * Double($1) }
        try require(elements: count, what: "\(what) of shape \(shape)")
        return shape.reduce(1, *)
    }

    /// Throws unless `elements` values of `bytesPerElement` bytes fit the budget. `what` names
    /// the request ("grid of 1000×1000 cells × 14 layers"); `change` says how to make it smaller.
    public static func require(elements: Double, bytesPerElement: Double = 4, what: String,
                               change: String? = nil) throws {
        guard elements.isFinite, elements >= 0 else {
            throw TensorError(op: "size", "\(what): the size \(elements) is not a count of values")
        }
        let bytes = elements * bytesPerElement
        guard bytes <= limit else {
            var message = "\(what) holds \(formatCount(elements)) values, which need \(formatBytes(bytes)); "
                + "this machine allows \(formatBytes(limit)) for one request"
            message += change.map { " — \($0)" } ?? " — use smaller sizes"
            message += " (or raise LODE_MEMORY_LIMIT)"
            throw TensorError(op: "size", message)
        }
    }

    /// An integer from a user's number, or an error naming it: no trap on 1e20, infinity or NaN.
    public static func integer(_ value: Double, name: String, atLeast minimum: Int? = nil) throws -> Int {
        guard value.isFinite, let integer = Int(exactly: value.rounded(.towardZero)),
              abs(value) < 9.007_199_254_740_992e15 else {
            throw TensorError(op: name, "\(value) is not a usable whole number")
        }
        if let minimum, integer < minimum {
            throw TensorError(op: name, "must be at least \(minimum), got \(integer)")
        }
        return integer
    }

    public static func formatBytes(_ bytes: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        if unit == units.count - 1, value >= 1024 { return String(format: "%.3g bytes", bytes) }
        return unit == 0 ? "\(Int(value)) bytes" : String(format: "%.1f %@", value, units[unit])
    }

    static func formatCount(_ count: Double) -> String {
        count < 1e6 ? "\(Int(count))" : String(format: "%.3g", count)
    }
}
