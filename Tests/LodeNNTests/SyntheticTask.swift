import LodeTensor
@testable import LodeNN

/// A generated task where the class depends on a spatial pattern across channels: every
/// window holds noise plus two 6×6 patches, one raising channels 0-4 and one lowering
/// channels 5-9. In class 1 the two patches sit on the same pixels; in class 0 they sit
/// apart. Every channel has the same distribution in both classes and no single pixel tells
/// the classes apart; only co-location across channels does.
func colocationTask(count: Int, config: ModelConfig, seed: UInt64) throws -> WindowDataset {
    var rng = RandomStream(seed: seed)
    let (c, k) = (config.inputChannels, config.window)
    let x = try Tensor.normal([count, c, k, k], using: &rng)
    var labels: [Int] = []
    let size = 6, amplitude: Float = 1.5
    func spot() -> (Int, Int) { (Int(rng.next() % UInt64(k - size)), Int(rng.next() % UInt64(k - size))) }
    for i in 0..<count {
        let label = i % 2
        labels.append(label)
        let a = spot()
        var b = spot()
        if label == 1 {
            b = a
        } else {
            while abs(a.0 - b.0) < size && abs(a.1 - b.1) < size { b = spot() }
        }
        for ch in 0..<10 {
            let (r0, c0) = ch < 5 ? a : b
            let sign: Float = ch < 5 ? 1 : -1
            for r in r0..<(r0 + size) { for col in c0..<(c0 + size) { x.pointer[((i * c + ch) * k + r) * k + col] += sign * amplitude } }
        }
    }
    return try WindowDataset(windows: x, labels: labels)
}
