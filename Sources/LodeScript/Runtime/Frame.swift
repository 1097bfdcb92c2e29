/// The local variables of one function call. Variables are resolved to slot numbers when the
/// code is parsed, so reading one is an array access, not a dictionary lookup. A closure keeps
/// the frame it was created in as its `parent`.
public final class Frame {
    /// Fixed-size storage owned by the frame: a raw buffer skips the uniqueness and bounds
    /// checks an Array would make on every read and write (slots come from the parser, so
    /// they are always in range).
    let slots: UnsafeMutablePointer<LodeValue>
    private let slotCount: Int
    let parent: Frame?

    init(slotCount: Int, parent: Frame?) {
        self.slotCount = slotCount
        self.slots = .allocate(capacity: max(1, slotCount))
        self.slots.initialize(repeating: Frame.unassigned, count: slotCount)
        self.parent = parent
    }

    /// What a local slot holds before the call first assigns it. Reading such a slot looks
    /// outward instead (docs/language.md, "Variables and scope"), so a name assigned later in
    /// a function, only in one branch, or at the end of a loop body reads the enclosing
    /// variable until then rather than giving a silent nil.
    static let unassigned = LodeValue.object(UnassignedMarker.shared)

    @inline(__always)
    static func isUnassigned(_ value: LodeValue) -> Bool {
        if case .object(let object) = value, object === UnassignedMarker.shared { return true }
        return false
    }

    deinit {
        slots.deinitialize(count: slotCount)
        slots.deallocate()
    }

    /// A named function defined inside a call is stored in this frame and captures it: a
    /// reference cycle. When the call ends, such a function that nothing else holds (it did
    /// not escape by being returned or stored elsewhere) is dropped, which frees the frame.
    func releaseOwnClosures() {
        for index in 0..<slotCount {
            guard case .function(var function) = slots[index],
                  case .lode(_, let captured) = function.implementation, captured === self
            else { continue }
            slots[index] = .nil
            if !isKnownUniquelyReferenced(&function) { slots[index] = .function(function) }
        }
    }

    @inline(__always)
    func ancestor(_ depth: Int) -> Frame {
        var frame = self
        var remaining = depth
        while remaining > 0, let parent = frame.parent {
            frame = parent
            remaining -= 1
        }
        return frame
    }
}

/// The marker behind `Frame.unassigned`; never visible to Lode code.
final class UnassignedMarker: LodeObject {
    static let shared = UnassignedMarker()
    var typeName: String { "unassigned" }
    var summary: String { "unassigned" }
}

/// Global variables of a session, or of one module, by slot. The parser gives each global name
/// a slot the first time it sees it; a slot stays empty (nil) until assigned, which is how
/// "unknown name" is detected. Commands from the registry are cached in slots on first use but
/// are not user variables (`:vars` lists only the latter). Each module has its own table, so
/// its functions see its own names, the prelude and the commands, never the caller's globals.
public final class GlobalTable {
    /// Consulted for a name this table lacks, before the commands (a module's: the prelude).
    let fallback: GlobalTable?
    private(set) var indexByName: [String: Int] = [:]
    private(set) var names: [String] = []
    /// Raw storage for the same reason as `Frame.slots`; grows by doubling as names appear.
    private(set) var values: UnsafeMutablePointer<LodeValue?>
    private var capacity = 64
    var isUserDefined: [Bool] = []

    init(fallback: GlobalTable? = nil) {
        self.fallback = fallback
        values = .allocate(capacity: capacity)
    }

    deinit {
        values.deinitialize(count: names.count)
        values.deallocate()
    }

    func slot(for name: String) -> Int {
        if let index = indexByName[name] { return index }
        let index = names.count
        if index == capacity {
            let larger = UnsafeMutablePointer<LodeValue?>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: values, count: index)
            values.deallocate()
            values = larger
            capacity *= 2
        }
        (values + index).initialize(to: nil)
        indexByName[name] = index
        names.append(name)
        isUserDefined.append(false)
        return index
    }

    public func value(named name: String) -> LodeValue? {
        guard let index = indexByName[name], isUserDefined[index] else { return nil }
        return values[index]
    }

    public func set(_ name: String, _ value: LodeValue) {
        let index = slot(for: name)
        values[index] = value
        isUserDefined[index] = true
    }

    /// User variables in the order they were first named.
    public var userVariables: [(name: String, value: LodeValue)] {
        names.indices.compactMap { index in
            guard isUserDefined[index], let value = values[index] else { return nil }
            return (names[index], value)
        }
    }

    /// `use`: copies this module's variables and functions into the table that uses it.
    func export(into table: GlobalTable) {
        for (name, value) in userVariables { table.set(name, value) }
    }

    func clear() {
        for index in names.indices {
            values[index] = nil
            isUserDefined[index] = false
        }
    }
}
