import Foundation

public struct HistoryEntry: Equatable {
    public var session: Int
    public var line: Int
    public var input: String
    /// The cell's result as plain text, if it had one.
    public var output: String?
}

public struct HistoryRequest: Equatable {
    public enum Access: Equatable {
        case tail(count: Int)
        case range(session: Int, start: Int, stop: Int)
        case search(pattern: String, count: Int?, unique: Bool)
    }
    public var access: Access
    public var includeOutput: Bool

    public init(access: Access, includeOutput: Bool) {
        self.access = access
        self.includeOutput = includeOutput
    }
}

/// The cells run in this kernel process, in order (session 1 is the current session; 0 and
/// negative session numbers in a range request also mean the current one).
public final class HistoryStore {
    public let session = 1
    private var entries: [HistoryEntry] = []
    private let lock = NSLock()

    public init() {}

    public func record(line: Int, input: String, output: String?) {
        lock.lock(); defer { lock.unlock() }
        entries.append(HistoryEntry(session: session, line: line, input: input, output: output))
    }

    public func entries(matching request: HistoryRequest) -> [HistoryEntry] {
        lock.lock(); defer { lock.unlock() }
        switch request.access {
        case .tail(let count):
            return Array(entries.suffix(max(0, count)))
        case .range(let requested, let start, let stop):
            guard requested <= 0 || requested == session else { return [] }
            // stop 0 or below means "to the end", as in IPython.
            return entries.filter { $0.line >= start && (stop <= 0 || $0.line < stop) }
        case .search(let pattern, let count, let unique):
            var found = entries.filter { globMatches(pattern, $0.input) }
            if unique {
                var seen = Set<String>()
                found = found.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            if let count, count > 0 { found = Array(found.suffix(count)) }
            return found
        }
    }
}

/// Shell-style glob: `*` any run, `?` one character, everything else literal.
func globMatches(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern), t = Array(text)
    var pi = 0, ti = 0, starP = -1, starT = 0
    while ti < t.count {
        if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
            pi += 1; ti += 1
        } else if pi < p.count && p[pi] == "*" {
            starP = pi; starT = ti; pi += 1
        } else if starP >= 0 {
            pi = starP + 1; starT += 1; ti = starT
        } else {
            return false
        }
    }
    while pi < p.count && p[pi] == "*" { pi += 1 }
    return pi == p.count
}
