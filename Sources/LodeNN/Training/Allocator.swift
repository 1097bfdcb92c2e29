#if canImport(Glibc)
import Glibc
#endif

/// Training allocates and frees the same large activation buffers every step. glibc serves
/// blocks above 128 KiB with fresh mmap'd pages, so each step pays a page fault and a page
/// clear per 4 KiB of activations (about a tenth of a paper-config step). Keeping large
/// blocks on the heap, and the heap untrimmed, lets the next step reuse warm pages; the peak
/// resident size is unchanged because it is reached in the first step anyway.
public func keepFreedMemoryForReuse() {
    _ = allocatorTuned
}

private let allocatorTuned: Bool = {
    #if canImport(Glibc)
    // mallopt is not in the Glibc module map; look it up (M_TRIM_THRESHOLD −1, M_MMAP_THRESHOLD −3).
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 1 << 30)
        _ = mallopt(-1, Int32.max)
    }
    #endif
    return true
}()
