/// Where a variable lives, decided by the parser.
enum VariableReference {
    /// A slot of the current function's frame.
    case local(Int)
    /// A slot of an enclosing function's frame, `depth` frames up.
    case captured(depth: Int, slot: Int)
    /// A global slot of the session or of the module the code belongs to.
    case global(GlobalTable, Int)
}

/// A read of a function's own variable. Until the call assigns it, the read looks outward
/// (`fallback`: the enclosing functions, then the globals), so a loop-carried or
/// conditionally assigned name never reads a silent nil.
final class LocalGetNode: Node {
    let location: SourceLocation
    let name: String
    let slot: Int
    let fallback: Node

    init(location: SourceLocation, name: String, slot: Int, fallback: Node) {
        self.location = location
        self.name = name
        self.slot = slot
        self.fallback = fallback
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        let value = frame.slots[slot]
        if Frame.isUnassigned(value) { return try fallback.evaluate(interpreter, frame) }
        return value
    }
}

final class CapturedGetNode: Node {
    let location: SourceLocation
    let name: String
    let depth: Int
    let slot: Int
    let fallback: Node

    init(location: SourceLocation, name: String, depth: Int, slot: Int, fallback: Node) {
        self.location = location
        self.name = name
        self.depth = depth
        self.slot = slot
        self.fallback = fallback
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        let value = frame.ancestor(depth).slots[slot]
        if Frame.isUnassigned(value) { return try fallback.evaluate(interpreter, frame) }
        return value
    }
}

final class GlobalGetNode: Node {
    let location: SourceLocation
    let name: String
    let table: GlobalTable
    let slot: Int
    /// Set when this read stands in for a function variable that has no value yet: the
    /// unknown-name error then says so.
    let shadowsLocal: Bool

    init(location: SourceLocation, name: String, table: GlobalTable, slot: Int, shadowsLocal: Bool = false) {
        self.location = location
        self.name = name
        self.table = table
        self.slot = slot
        self.shadowsLocal = shadowsLocal
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        if let value = table.values[slot] { return value }
        return try interpreter.missingGlobal(table: table, slot: slot, name: name, at: location,
                                             shadowsLocal: shadowsLocal)
    }
}

/// `name = value`.
final class AssignNode: StatementNode {
    let location: SourceLocation
    let name: String
    let target: VariableReference
    let value: Node

    init(location: SourceLocation, name: String, target: VariableReference, value: Node) {
        self.location = location
        self.name = name
        self.target = target
        self.value = value
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        let result = try value.evaluate(interpreter, frame)
        interpreter.write(result, to: target, frame: frame)
        return result
    }
}

/// `target[index] = value` and `target.field = value`, possibly nested (`a.b[0] = 1`).
/// Lists and records are values, so the root variable is taken out of its slot, updated in
/// place (no copy), and stored back.
final class AssignPathNode: StatementNode {
    enum Component {
        case index(Node)
        case member(String, SourceLocation)
    }

    let location: SourceLocation
    let rootName: String
    let root: VariableReference
    let rootLocation: SourceLocation
    let path: [Component]
    let value: Node

    init(location: SourceLocation, rootName: String, root: VariableReference,
         rootLocation: SourceLocation, path: [Component], value: Node) {
        self.location = location
        self.rootName = rootName
        self.root = root
        self.rootLocation = rootLocation
        self.path = path
        self.value = value
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        let newValue = try value.evaluate(interpreter, frame)
        var keys: [LodeValue] = []
        for component in path {
            switch component {
            case .index(let node): keys.append(try node.evaluate(interpreter, frame))
            case .member(let name, _): keys.append(.string(name))
            }
        }
        guard var container = interpreter.take(root, frame: frame) else {
            throw try interpreter.unknownName(rootName, at: rootLocation)
        }
        do {
            try update(&container, at: 0, keys: keys, with: newValue, interpreter: interpreter)
        } catch {
            interpreter.write(container, to: root, frame: frame)
            throw error
        }
        interpreter.write(container, to: root, frame: frame)
        return newValue
    }

    private func update(_ container: inout LodeValue, at position: Int, keys: [LodeValue],
                        with newValue: LodeValue, interpreter: Interpreter) throws {
        let key = keys[position]
        let isLast = position == keys.count - 1
        let location: SourceLocation
        switch path[position] {
        case .index(let node): location = node.location
        case .member(_, let memberLocation): location = memberLocation
        }
        switch container {
        case .list(var elements):
            let index = try Indexing.listIndex(key, count: elements.count, at: location)
            container = .nil  // drop the reference so the array is uniquely owned
            if isLast {
                elements[index] = newValue
            } else {
                try update(&elements[index], at: position + 1, keys: keys, with: newValue,
                           interpreter: interpreter)
            }
            container = .list(elements)
        case .record(var record):
            guard case .string(let field) = key else {
                throw LodeError(.type, "record fields are named by strings, got \(key.described)",
                                at: location)
            }
            container = .nil
            if isLast {
                record[field] = newValue
            } else {
                guard var inner = record[field] else {
                    container = .record(record)
                    throw Indexing.missingField(field, in: record, at: location)
                }
                record[field] = LodeValue.nil
                try update(&inner, at: position + 1, keys: keys, with: newValue,
                           interpreter: interpreter)
                record[field] = inner
            }
            container = .record(record)
        case .object(let object):
            if isLast {
                let done: Bool
                if case .member(let name, _) = path[position] {
                    done = try object.setMember(name, newValue)
                } else {
                    done = try object.setIndex(key, newValue)
                }
                if !done {
                    throw LodeError(.type, "cannot assign into \(object.typeName) here", at: location)
                }
            } else {
                var inner: LodeValue
                if case .member(let name, _) = path[position] {
                    inner = try Indexing.member(name, of: container, at: location)
                } else {
                    inner = try Indexing.index(container, key, at: location)
                }
                try update(&inner, at: position + 1, keys: keys, with: newValue,
                           interpreter: interpreter)
            }
        default:
            throw LodeError(.type, "cannot assign into \(container.described)", at: location,
                            hint: "only lists, records and objects have parts to assign")
        }
    }
}
