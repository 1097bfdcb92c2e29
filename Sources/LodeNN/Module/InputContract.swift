import LodeTensor

/// What a window classifier takes and gives: windows [N, channels, window, window] of the
/// named layers, logits [N, classes]. A model carries its contract so that mapping, SHAP and
/// checkpoints ask the model instead of the user; training sets it from the data when the
/// model has none, and refuses data that breaks it.
public struct InputContract: Codable, Equatable, Sendable {
    public var channels: Int
    public var window: Int
    public var classes: Int
    /// The stack's layer names in channel order (nil until the model has seen named data).
    public var layerNames: [String]?

    public init(channels: Int, window: Int, classes: Int = 2, layerNames: [String]? = nil) {
        self.channels = channels
        self.window = window
        self.classes = classes
        self.layerNames = layerNames
    }

    /// "15 channels of 32×32 windows, 2 classes".
    public var described: String { "\(channels) channels of \(window)×\(window) windows, \(classes) classes" }

    /// Same shape, and the same layer names where both sides name them.
    public func accepts(_ other: InputContract) -> Bool {
        guard channels == other.channels, window == other.window, classes == other.classes else { return false }
        guard let mine = layerNames, let theirs = other.layerNames else { return true }
        return mine == theirs
    }

    /// Throws unless `x` is [N, channels, window, window] with finite values; `name` is the model's.
    public func validate(_ x: Tensor, model name: String) throws {
        guard x.rank == 4, x.shape[0] > 0, x.shape[1] == channels, x.shape[2] == window, x.shape[3] == window else {
            let got = x.rank == 4 ? "\(x.shape[0]) windows of \(x.shape[1]) channels, \(x.shape[2])×\(x.shape[3])" : "shape \(x.shape)"
            throw NNError("\(name) expects windows [N, \(channels), \(window), \(window)] but got \(got)")
        }
        if let bad = firstNonFinite(x) {
            let per = channels * window * window
            let (w, r) = (bad / per, bad % per)
            let (ch, pix) = (r / (window * window), r % (window * window))
            let layer = layerNames.map { $0.indices.contains(ch) ? " (\($0[ch]))" : "" } ?? ""
            throw NNError("\(name): input window \(w) has a non-finite value (\(x.pointer[bad])) in channel \(ch)\(layer) at row \(pix / window), column \(pix % window)")
        }
    }
}

/// Index of the first NaN/Inf, if any.
func firstNonFinite(_ x: Tensor) -> Int? {
    let p = x.pointer
    for i in 0..<x.count where !p[i].isFinite { return i }
    return nil
}
