/// A record `{name: value, ...}`: fields keep the order in which they were written.
public struct LodeRecord: Equatable {
    public private(set) var keys: [String] = []
    private var storage: [String: LodeValue] = [:]

    public init() {}

    public init(_ pairs: [(String, LodeValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public subscript(key: String) -> LodeValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var count: Int { keys.count }

    public var fields: [(key: String, value: LodeValue)] {
        keys.map { ($0, storage[$0] ?? .nil) }
    }

    public static func == (lhs: LodeRecord, rhs: LodeRecord) -> Bool {
        lhs.keys.count == rhs.keys.count && lhs.storage == rhs.storage
    }
}
