/// Shape arithmetic shared by every op: element counts, contiguous strides, axis normalisation
/// and NumPy broadcasting.
enum ShapeMath {
    static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= shape[i]
        }
        return s
    }

    /// Maps a possibly negative axis into 0..<rank, or throws naming the op.
    static func axis(_ axis: Int, rank: Int, op: String) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else {
            throw TensorError(op: op, "axis \(axis) is out of range for a tensor of rank \(rank)")
        }
        return a
    }

    static func axes(_ axes: [Int], rank: Int, op: String) throws -> [Int] {
        let normalised = try axes.map { try axis($0, rank: rank, op: op) }
        guard Set(normalised).count == normalised.count else {
            throw TensorError(op: op, "repeated axis in \(axes)")
        }
        return normalised.sorted()
    }

    /// The NumPy broadcast of two shapes (right-aligned; sizes equal or one of them 1).
    static func broadcast(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else {
                throw TensorError.shapes(op, "shapes cannot be broadcast together", a, b)
            }
        }
        return out
    }

    /// Element strides that read a tensor of `shape` as if it had `target` shape (0 where broadcast).
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let offset = target.count - shape.count
        return (0..<target.count).map { i in
            i < offset || shape[i - offset] == 1 ? 0 : own[i - offset]
        }
    }
}
