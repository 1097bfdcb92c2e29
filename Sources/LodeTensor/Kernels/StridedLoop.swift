/// Walks an N-d index space over up to three operands with arbitrary element strides (0 for a
/// broadcast axis). Axes that are contiguous for every operand are merged first, so the common
/// cases (same shape, scalar, per-channel) become one or two flat loops; the body gets one row
/// at a time (start offsets, length, inner strides) and keeps its element loop tight.
struct StridedLayout {
    var shape: [Int]
    var strides: [[Int]]

    init(shape: [Int], strides: [[Int]]) {
        // Drop size-1 axes, then merge neighbours that are contiguous in every operand.
        var sh: [Int] = []
        var st: [[Int]] = Array(repeating: [], count: strides.count)
        for (i, d) in shape.enumerated() where d != 1 {
            if let last = sh.last, (0..<strides.count).allSatisfy({ st[$0].last! == strides[$0][i] * d }) {
                sh[sh.count - 1] = last * d
                for o in 0..<strides.count { st[o][st[o].count - 1] = strides[o][i] }
            } else {
                sh.append(d)
                for o in 0..<strides.count { st[o].append(strides[o][i]) }
            }
        }
        if sh.isEmpty {
            sh = [1]
            st = st.map { _ in [0] }
        }
        self.shape = sh
        self.strides = st
    }

    var innerCount: Int { shape.last! }
    var rowCount: Int { shape.dropLast().reduce(1, *) }

    /// Calls `body(o0, o1, o2, n, i0, i1, i2)` for every row; rows are split over the cores when
    /// `parallel` (the caller guarantees rows write disjoint memory).
    func forEachRow(parallel: Bool,
                    _ body: (Int, Int, Int, Int, Int, Int, Int) -> Void) {
        let n = innerCount
        let rows = rowCount
        let outer = Array(shape.dropLast())
        let s = (0..<3).map { o in o < strides.count ? strides[o] : [Int](repeating: 0, count: shape.count) }
        let i0 = s[0].last!, i1 = s[1].last!, i2 = s[2].last!
        withoutActuallyEscaping(body) { body in
        let work = { (range: Range<Int>) in
            var index = [Int](repeating: 0, count: outer.count)
            var rem = range.lowerBound
            for d in stride(from: outer.count - 1, through: 0, by: -1) {
                index[d] = rem % outer[d]
                rem /= outer[d]
            }
            var o0 = 0, o1 = 0, o2 = 0
            for d in 0..<outer.count {
                o0 += index[d] * s[0][d]; o1 += index[d] * s[1][d]; o2 += index[d] * s[2][d]
            }
            for _ in range {
                body(o0, o1, o2, n, i0, i1, i2)
                var d = outer.count - 1
                while d >= 0 {
                    index[d] += 1
                    o0 += s[0][d]; o1 += s[1][d]; o2 += s[2][d]
                    if index[d] < outer[d] { break }
                    o0 -= s[0][d] * outer[d]; o1 -= s[1][d] * outer[d]; o2 -= s[2][d] * outer[d]
                    index[d] = 0
                    d -= 1
                }
            }
        }
        if parallel && rows * n >= 1 << 15 {
            parallelRange(rows, grain: max(1, (1 << 14) / max(n, 1)), work)
        } else {
            work(0..<rows)
        }
        }
    }
}

/// Copies `source` read through `strides` (laid over `shape`) into a new contiguous tensor.
func stridedCopy(_ source: UnsafePointer<Float>, offset: Int = 0, shape: [Int], strides: [Int]) -> Tensor {
    let out = Tensor(uninitialized: shape)
    let dst = out.pointer
    let layout = StridedLayout(shape: shape, strides: [ShapeMath.strides(shape), strides])
    layout.forEachRow(parallel: true) { o0, o1, _, n, i0, i1, _ in
        let d = dst + o0, s = source + offset + o1
        if i0 == 1 && i1 == 1 {
            d.update(from: s, count: n)
        } else if i0 == 1 && i1 == 0 {
            d.update(repeating: s[0], count: n)  // a broadcast row (a reduction's gradient)
        } else {
            for j in 0..<n { d[j * i0] = s[j * i1] }
        }
    }
    return out
}
