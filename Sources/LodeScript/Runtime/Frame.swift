/// The local variables of one function call. Variables are resolved to slot numbers when the
/// code is parsed, so reading one is an array access, not a dictionary lookup. A closure keeps
/// the frame it was created in as its `parent`.
public final class Frame {
    var slots: [LodeValue]
    let parent: Frame?

    init(slotCount: Int, parent: Frame?) {
        self.slots = [LodeValue](repeating: .nil, count: slotCount)
        self.parent = parent
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

/// Global variables of a session, by slot. The parser gives each global name a slot the first
/// time it sees it; a slot stays empty (nil) until assigned, which is how "unknown name" is
/// detected. Commands from the registry are cached in slots on first use but are not
/// user variables (`:vars` lists only the latter).
public final class GlobalTable {
    private(set) var indexByName: [String: Int] = [:]
    private(set) var names: [String] = []
    var values: [LodeValue?] = []
    var isUserDefined: [Bool] = []

    func slot(for name: String) -> Int {
        if let index = indexByName[name] { return index }
        let index = names.count
        indexByName[name] = index
        names.append(name)
        values.append(nil)
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

    func clear() {
        for index in values.indices {
            values[index] = nil
            isUserDefined[index] = false
        }
    }
}
