import CLodeKernels
import XCTest
@testable import LodeTensor

/// im2col and col2im (CLodeKernels, one copy per CPU path) against a scalar reference written
/// from their definitions, bit for bit on every path this CPU can run: kernels 1, 3, 4 and 7,
/// strides 1–4, padding 0–2, odd plane sizes, a group starting past sample 0 and rows longer
/// than the group's columns (a panel of the whole batch), whose other columns must stay as they were.
final class ColumnPanelKernelTests: XCTestCase {
    private static let (n, c, first, count) = (4, 3, 1, 2)
    private static let sentinel: Float = 12345

    private func geometries() -> [ConvGeometry] {
        var result: [ConvGeometry] = []
        for k in [1, 3, 4, 7] { for stride in 1...4 { for padding in 0...2 { for (h, w) in [(5, 7), (9, 6), (13, 11)] {
            guard h + 2 * padding >= k, w + 2 * padding >= k else { continue }
            let oh = (h + 2 * padding - k) / stride + 1, ow = (w + 2 * padding - k) / stride + 1
            result.append(ConvGeometry(n: Self.n, c: Self.c, h: h, w: w, o: 1, kh: k, kw: k, stride: stride,
                                       padding: padding, oh: oh, ow: ow))
        } } } }
        return result
    }

    /// Calls body(r, s, y, xo, input index or nil) for every panel entry, in col2im's order.
    private func forEachEntry(_ g: ConvGeometry, _ body: (Int, Int, Int, Int, Int?) -> Void) {
        for ci in 0..<g.c { for ki in 0..<g.kh { for kj in 0..<g.kw {
            let r = (ci * g.kh + ki) * g.kw + kj
            for s in 0..<Self.count { for y in 0..<g.oh { for xo in 0..<g.ow {
                let iy = y * g.stride - g.padding + ki, ix = xo * g.stride - g.padding + kj
                let inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w
                body(r, s, y, xo, inside ? (((Self.first + s) * g.c + ci) * g.h + iy) * g.w + ix : nil)
            } } }
        } } }
    }

    private func bits(_ a: [Float]) -> [UInt32] { a.map(\.bitPattern) }

    func testIm2colAndCol2imMatchTheReferenceOnEveryPath() throws {
        let start = lode_cpu_path()
        defer { XCTAssertEqual(lode_cpu_use_path(start), 0) }
        let paths = (0..<Int32(LODE_CPU_PATH_COUNT)).filter { lode_cpu_path_available($0) != 0 }
        for (index, g) in geometries().enumerated() {
            let x = try Tensor.normal([Self.n, g.c, g.h, g.w], seed: UInt64(3 * index + 1)).scalars
            let columns = Self.count * g.l + 5  // a wider panel: 5 columns that belong to others
            let panel = try Tensor.normal([g.k, columns], seed: UInt64(3 * index + 2)).scalars
            let dx0 = try Tensor.normal([Self.n, g.c, g.h, g.w], seed: UInt64(3 * index + 3)).scalars
            var expectedCol = [Float](repeating: Self.sentinel, count: g.k * columns)
            var expectedDx = dx0
            forEachEntry(g) { r, s, y, xo, source in
                let p = r * columns + s * g.l + y * g.ow + xo
                expectedCol[p] = source.map { x[$0] } ?? 0
                if let source { expectedDx[source] += panel[p] }
            }
            let label = "k \(g.kh) stride \(g.stride) padding \(g.padding) \(g.h)×\(g.w)"
            for path in paths {
                XCTAssertEqual(lode_cpu_use_path(path), 0)
                let name = String(cString: lode_cpu_path_name(path))
                var col = [Float](repeating: Self.sentinel, count: g.k * columns)
                x.withUnsafeBufferPointer { px in
                    col.withUnsafeMutableBufferPointer { g.im2col(px.baseAddress!, first: Self.first, count: Self.count,
                                                                  into: $0.baseAddress!, columns: columns) }
                }
                XCTAssertEqual(bits(col), bits(expectedCol), "im2col [\(name)] \(label)")
                var dx = dx0
                panel.withUnsafeBufferPointer { pc in
                    dx.withUnsafeMutableBufferPointer { g.col2im(pc.baseAddress!, first: Self.first, count: Self.count,
                                                                 into: $0.baseAddress!, columns: columns) }
                }
                XCTAssertEqual(bits(dx), bits(expectedDx), "col2im [\(name)] \(label)")
            }
        }
    }

    /// Without `columns` a row is the group's own count·L columns.
    func testDefaultRowLengthIsTheGroupsColumns() throws {
        let g = ConvGeometry(n: 2, c: 2, h: 3, w: 3, o: 1, kh: 2, kw: 2, stride: 1, padding: 0, oh: 2, ow: 2)
        let x = (0..<36).map(Float.init)  // x[s, c, i, j] = 9·(2s + c) + 3i + j
        var col = [Float](repeating: -1, count: g.k * 2 * g.l + 1)
        x.withUnsafeBufferPointer { px in
            col.withUnsafeMutableBufferPointer { g.im2col(px.baseAddress!, first: 0, count: 2, into: $0.baseAddress!) }
        }
        // Row (c 1, ki 1, kj 0) of sample 1: x[1, 1, 1..2, 0..1] = 27 + [3, 4, 6, 7].
        XCTAssertEqual(Array(col[(6 * 8 + 4)..<(6 * 8 + 8)]), [30, 31, 33, 34])
        // Row 0 of sample 0 (x[0, 0, 0..1, 0..1]), and the float past the panel untouched.
        XCTAssertEqual(Array(col[0..<4]), [0, 1, 3, 4])
        XCTAssertEqual(col.last, -1)
    }
}
