import ArgumentParser
import Foundation
import LodeNN
import LodeTensor

/// `lode bench conv`: forward and backward (input and weight gradients) of every distinct
/// convolution of the paper's SSGSNet at batch 32, in GFLOP/s and as a fraction of the FMA peak
/// the same cores reach in a tight vector loop, measured in the same run.
struct ConvBench {
    /// One convolution layer's shape; `o == 1` layers are the spatial-attention convs, which the
    /// model runs through `singleOutputConv2d`.
    struct Shape {
        let name: String
        let c, o, k, stride, padding, size: Int
        var outSize: Int { (size + 2 * padding - k) / stride + 1 }
        func flops(batch: Int) -> Double { 2.0 * Double(batch * o * outSize * outSize * c * k * k) }
        var label: String { "\(c)→\(o) \(k)x\(k)" + (stride != 1 ? " s\(stride)" : "") + " on \(size)x\(size)" }
        var winogradShaped: Bool { o > 1 && k == 3 && stride == 1 && padding == 1 }

    }

    /// The distinct shapes in the order the model meets them (stem, then per stage conv1, the
    /// 1×1 projection, conv2 and the spatial-attention conv, then the ViT patch embedding).
    static func ssgsnetShapes(_ cfg: ModelConfig = .paper) -> [Shape] {
        var shapes = [Shape(name: "stem", c: cfg.inputChannels, o: cfg.widths[0], k: 3, stride: 1, padding: 1, size: cfg.window)]
        var (cin, size) = (cfg.widths[0], cfg.window)
        for (i, (w, s)) in zip(cfg.widths, cfg.strides).enumerated() {
            let stage = "layers.\(i)"
            shapes.append(Shape(name: "\(stage).conv1", c: cin, o: w, k: 3, stride: s, padding: 1, size: size))
            if s != 1 || cin != w {
                shapes.append(Shape(name: "\(stage).shortcut", c: cin, o: w, k: 1, stride: s, padding: 0, size: size))
            }
            size = (size + 2 - 3) / s + 1
            shapes.append(Shape(name: "\(stage).conv2", c: w, o: w, k: 3, stride: 1, padding: 1, size: size))
            let sa = cfg.spatialAttentionKernel
            shapes.append(Shape(name: "\(stage).sa", c: 2, o: 1, k: sa, stride: 1, padding: sa / 2, size: size))
            cin = w
        }
        shapes.append(Shape(name: "vit.patch", c: cfg.inputChannels, o: cfg.vitDimension, k: cfg.patchSize,
                            stride: cfg.patchSize, padding: 0, size: cfg.window))
        // conv1 of a stride-1 stage with equal widths is conv2's shape: keep each shape once.
        var seen = Set<String>()
        return shapes.filter { seen.insert("\($0.c) \($0.o) \($0.k) \($0.stride) \($0.padding) \($0.size)").inserted }
    }

    let batch: Int
    let threads: Int
    let repeats: Int
    /// Only the layers whose name contains this (all when nil).
    var layer: String?

    func run() throws -> [String: Any] {
        Threads.set(threads)
        setGEMMThreads(threads)
        var peaks: [String: Double] = [:]
        for path in KernelPaths.available {
            if let p = KernelPaths.measuredFMAPeak(path: path, threads: threads, trials: 5) { peaks[path] = p / 1e9 }
        }
        let current = KernelPaths.current
        let peak = peaks[current] ?? 0
        print("FMA peak of \(threads) thread(s) now: "
              + KernelPaths.available.map { $0 + String(format: " %.1f GFLOP/s", peaks[$0] ?? 0) }.joined(separator: ", ")
              + " (a layer's fraction is of the higher of this and \(current)'s peak measured again just before it)")
        print("* marks the automatic rules' row (the choice per pass: what training and inference run; the name says the forward pass's choice). "
              + "Forward runs as at inference (no tape; Winograd's transformed kernels cached), backward is the input and weight gradients. "
              + "GFLOP/s are the direct convolution's flops over the time (Winograd does fewer, so its effective figures can pass the peak).")
        let saved = Convolution.algorithm
        defer { Convolution.algorithm = saved }
        var rows: [[String: Any]] = []
        let shapes = Self.ssgsnetShapes().filter { layer == nil || $0.name.contains(layer!) }
        guard !shapes.isEmpty else {
            throw ValidationError("no SSGSNet convolution is named like '\(layer ?? "")'; names: "
                                 + Self.ssgsnetShapes().map(\.name).joined(separator: ", "))
        }
        let savedPanels = Convolution.panels
        defer { Convolution.panels = savedPanels }
        for shape in shapes {
            // 3×3 stride-1 layers are measured every way (both tile sizes, each with its GEMMs per
            // group of samples and over the whole batch): the automatic rules come from these rows.
            let explicit: [(ConvolutionAlgorithm, ConvolutionPanels)] = shape.winogradShaped
                ? [(.im2col, .groups), (.im2col, .batch), (.winograd, .groups), (.winograd, .batch), (.winograd4x4, .groups), (.winograd4x4, .batch)]
                : [(.im2col, .groups), (.im2col, .batch)]
            let choices = explicit + [(.automatic, .automatic)]
            let automatic = shape.winogradShaped ? Convolution.automaticChoice(inputChannels: shape.c, outputChannels: shape.o,
                                                                                 height: shape.size, width: shape.size) : .im2col
            // The forward pass runs as at inference, where the rule can differ (the kernel transform is paid once).
            let automaticForward = shape.winogradShaped
                ? Convolution.automaticInferenceChoice(inputChannels: shape.c, outputChannels: shape.o, height: shape.size, width: shape.size)
                : .im2col
            let automaticPanels = Convolution.automaticPanels(batch: batch, inputChannels: shape.c, outputChannels: shape.o,
                                                              kernel: shape.k, stride: shape.stride, padding: shape.padding,
                                                              size: shape.size, algorithm: automaticForward)
            for (algorithm, panels) in choices {
                Convolution.algorithm = algorithm
                Convolution.panels = panels
                // The best the cores reached in this run: at the start or just before this layer.
                let local = KernelPaths.measuredFMAPeak(path: current, threads: threads, seconds: 0.03, trials: 3).map { $0 / 1e9 } ?? 0
                let peak = max(peak, local)
                let chosen = algorithm == .automatic
                // The spatial-attention rows run `singleOutputConv2d`, which has neither choice: measured once.
                if shape.o == 1 && !chosen { continue }
                let name = shape.o == 1 ? "direct"
                    : chosen ? automaticForward.rawValue + (automaticPanels == .batch ? "+batch" : "")
                        + (automaticForward == automatic ? "" : " (backward " + automatic.rawValue + ")")
                    : algorithm.rawValue + (panels == .batch ? "+batch" : "")
                var row = try measure(shape, algorithm: name, automatic: chosen, peak: peak)
                row["algorithm"] = name
                row["automatic_choice"] = chosen
                rows.append(row)
            }
        }
        return ["fma_peak_gflops": peaks, "path": current, "batch": batch, "shapes": rows]
    }

    private func measure(_ s: Shape, algorithm: String, automatic: Bool, peak: Double) throws -> [String: Any] {
        let x = try Tensor.normal([batch, s.c, s.size, s.size], seed: 1)
        let w = try Tensor.normal([s.o, s.c, s.k, s.k], standardDeviation: 0.05, seed: 2)
        let g = try Tensor.normal([batch, s.o, s.outSize, s.outSize], seed: 3)
        x.requiresGrad = true
        w.requiresGrad = true
        let apply = { () throws -> Tensor in
            s.o == 1 ? try singleOutputConv2d(x, weight: w, padding: s.padding)
                : try conv2d(x, weight: w, stride: s.stride, padding: s.padding)
        }
        // Best of the repeats: another process's load only ever adds time.
        let forward = try bestSeconds(repeats, warmup: 1) { _ = try noGrad { try apply() } }
        // Backward alone: the forward runs untimed before each timed backward.
        var times: [Double] = []
        for i in 0..<(repeats + 1) {
            let y = try apply()
            let t = try timed { try y.backward(gradient: g) }
            x.grad = nil
            w.grad = nil
            if i > 0 { times.append(t) }
        }
        let backward = times.min() ?? 0
        let flops = s.flops(batch: batch)
        let (fg, bg) = (flops / forward / 1e9, 2 * flops / backward / 1e9)
        let how = algorithm + (automatic ? "*" : " ")
        print(s.name.padding(toLength: 18, withPad: " ", startingAt: 0) + s.label.padding(toLength: 26, withPad: " ", startingAt: 0)
              + how.padding(toLength: 19, withPad: " ", startingAt: 0)
              + String(format: "forward %7.1f GFLOP/s (%.2f of peak)  backward %7.1f GFLOP/s (%.2f of peak)",
                       fg, peak > 0 ? fg / peak : 0, bg, peak > 0 ? bg / peak : 0))
        return [
            "name": s.name, "input_channels": s.c, "output_channels": s.o, "kernel": s.k, "stride": s.stride,
            "padding": s.padding, "size": s.size, "forward_s": forward, "backward_s": backward,
            "forward_gflops": fg, "backward_gflops": bg,
            "peak_gflops": peak, "forward_peak_fraction": peak > 0 ? fg / peak : 0, "backward_peak_fraction": peak > 0 ? bg / peak : 0,
        ]
    }
}

/// Shortest wall time of `repeats` runs after `warmup` untimed ones.
func bestSeconds(_ repeats: Int, warmup: Int, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    var best = Double.infinity
    for _ in 0..<max(1, repeats) { best = min(best, try timed(body)) }
    return best
}

/// Median wall time of `repeats` runs after `warmup` untimed ones.
func medianSeconds(_ repeats: Int, warmup: Int, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    var times: [Double] = []
    for _ in 0..<max(1, repeats) { times.append(try timed(body)) }
    times.sort()
    return times[times.count / 2]
}
