/// The variables of one function being parsed. Names get slots in order of first assignment;
/// reading a name looks here, then in enclosing functions, then falls back to a global.
final class FunctionScope {
    let parent: FunctionScope?
    private(set) var slots: [String: Int] = [:]
    private(set) var slotCount = 0
    var loopDepth = 0
    /// True when a function literal inside this one closes over its frame.
    var createsClosures = false

    init(parent: FunctionScope?) {
        self.parent = parent
    }

    func lookup(_ name: String) -> Int? { slots[name] }

    func declare(_ name: String) -> Int {
        if let slot = slots[name] { return slot }
        let slot = slotCount
        slots[name] = slot
        slotCount += 1
        return slot
    }

    /// Names visible here, for completion.
    var allNames: [String] {
        Array(slots.keys) + (parent?.allNames ?? [])
    }
}
