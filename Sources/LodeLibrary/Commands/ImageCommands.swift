import LodeGeo
import LodePlot
import LodeScript
import LodeTensor

/// Figures of tensors: any tensor as images, a window's layers as the network sees them, and
/// named values as bars (channel-attention weights with the layer names).
enum ImageCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "figures")
        func figure(_ f: Figure) -> LodeValue { .object(FigureObject(f)) }

        r.add("plot_image", [Parameter("t", .object("tensor"), doc: "[H, W] for one image or [K, H, W] for K panels (size-1 leading axes are dropped)"),
                             Parameter("title", .optional(.string), default: .nil, doc: "the figure's title"),
                             Parameter("names", .optional(.list), default: .nil, doc: "one name per panel (0, 1, ... when nil)"),
                             Parameter("label", .string, default: "", doc: "what the colour bar measures"),
                             Parameter("colormap", .string, default: "sequential", doc: "\"sequential\" or \"diverging\" (signed values, centred on 0)"),
                             Parameter("range", .optional(.list), default: .nil, doc: "[low, high] of the colour scale (the values' range when nil)"),
                             Parameter("shared", .bool, default: true, doc: "one colour scale for all panels (false: one per panel)"),
                             Parameter("x_label", .optional(.string), default: .nil, doc: "what the columns are"),
                             Parameter("y_label", .optional(.string), default: .nil, doc: "what the rows are")],
              returns: "figure",
              doc: "A tensor as an image with a colour bar, row 0 at the top: an attention map, a token × token matrix, one layer of a window. A [K, H, W] tensor gives K panels on one colour scale, so equal colours mean equal values.",
              example: "plot_image(slice(maps[\"sc.blocks.0.attn\"], 0, 0, 1), names: [\"head 1\", \"head 2\", \"head 3\", \"head 4\"])") { a in
            let t = try a.typed("t", TensorObject.self, "a tensor").tensor
            var shape = t.shape
            while shape.count > 2, shape[0] == 1 { shape.removeFirst() }
            guard shape.count == 2 || shape.count == 3, shape.allSatisfy({ $0 > 0 }) else {
                throw a.failure("needs a tensor [H, W] or [K, H, W] (size-1 leading axes are dropped), got shape \(t.shape)",
                                hint: shape.count == 1 ? "plot_bars shows a vector" : "slice(t, axis, start, end) picks part of a tensor")
            }
            let (count, rows, columns) = shape.count == 2 ? (1, shape[0], shape[1]) : (shape[0], shape[1], shape[2])
            guard count <= 64 else { throw a.failure("would draw \(count) panels (shape \(t.shape)); slice the tensor to 64 or fewer") }
            let names = try panelNames(a, count: count, single: shape.count == 2)
            let plane = rows * columns
            let values = t.scalars
            let panels = (0..<count).map { k in
                ImagePanel(name: names[k], values: Array(values[(k * plane)..<((k + 1) * plane)]), rows: rows, columns: columns)
            }
            return figure(try Figure.images(panels, title: try a.optionalString("title"), colorBarLabel: try a.string("label"),
                                            colormap: try colormap(a), range: try colorRange(a), sharedScale: try a.bool("shared"),
                                            xLabel: try a.optionalString("x_label"), yLabel: try a.optionalString("y_label")))
        }
        r.add("plot_window", [Parameter("data", .any, doc: "a dataset or windows [N, C, H, W]"),
                              Parameter("index", .integer, default: 0, range: .nonNegative, doc: "which window"),
                              Parameter("layers", .optional(.list), default: .nil, doc: "layer names (of a dataset) or numbers to show (all when nil)"),
                              Parameter("attention", .optional(.object("tensor")), default: .nil, doc: "a spatial-attention map [N, H, W] or [H, W] shown beside the layers"),
                              Parameter("title", .optional(.string), default: .nil, doc: "the figure's title")],
              returns: "figure",
              doc: "One window's layers as images, what the network sees, one panel per layer on a shared colour scale; a dataset names the layers and the title gives the label. With attention:, the map is added as a last panel and every panel gets its own scale.",
              example: "plot_window(data.val, 0, layers: [\"Au\", \"As\", \"Sb\", \"faults\"], attention: maps[\"ss.layers.0.block1.sa\"])") { a in
            let (x, data) = try InspectCommands.windows(a, "data")
            guard x.rank == 4 || x.rank == 3 else { throw a.failure("windows must be [N, C, H, W] or [C, H, W], got shape \(x.shape)") }
            let shape = x.rank == 4 ? x.shape : [1] + x.shape
            let (count, channels, rows, columns) = (shape[0], shape[1], shape[2], shape[3])
            let index = try a.integer("index")
            guard (0..<count).contains(index) else { throw a.failure("index \(index) is out of range for \(count) windows") }
            let layerNames = data?.layerNames ?? (0..<channels).map(String.init)
            let picked = try a.isNil("layers") ? Array(0..<channels) : a.list("layers").map { try layerIndex($0, names: layerNames, a) }
            let plane = rows * columns
            let base = index * channels * plane
            let values = x.scalars
            var panels = picked.map { c in
                ImagePanel(name: layerNames[c], values: Array(values[(base + c * plane)..<(base + (c + 1) * plane)]), rows: rows, columns: columns)
            }
            if !a.isNil("attention") { panels.append(try attentionPanel(a, index: index)) }
            var title = "Window \(index)"
            if let data { title += data.labels[index] == 1 ? " (deposit)" : data.labels[index] == 0 ? " (barren)" : "" }
            // Layers share a scale; beside an attention map (0 to 1) each panel keeps its own.
            let alone = a.isNil("attention")
            return figure(try Figure.images(panels, title: try a.optionalString("title") ?? title, colorBarLabel: alone ? "value" : "",
                                            sharedScale: alone))
        }
        r.add("plot_bars", [Parameter("values", .any, doc: "a record {name: value}, a list of numbers, or a tensor with one value per bar"),
                            Parameter("names", .optional(.list), default: .nil, doc: "one name per value (the record's keys, or 0, 1, ... when nil)"),
                            Parameter("title", .optional(.string), default: .nil, doc: "the figure's title"),
                            Parameter("label", .string, default: "", doc: "what the values measure")],
              returns: "figure",
              doc: "Named values as horizontal bars, the first on top, each with its value: channel-attention weights with the layer names, scores per model.",
              example: "plot_bars(maps.channel_attention, names: data.layers, title: \"Channel attention\")") { a in
            var values: [Double]
            var names: [String]
            switch a["values"] {
            case .record(let record):
                names = record.keys
                values = try record.fields.map { field in
                    guard let v = field.value.numberValue else { throw a.failure("values: field '\(field.key)' holds \(field.value.described), not a number") }
                    return v
                }
            case .list:
                values = try a.numbers("values")
                names = values.indices.map(String.init)
            case .object(let t as TensorObject):
                var shape = t.tensor.shape
                while shape.count > 1, shape[0] == 1 { shape.removeFirst() }
                guard shape.count <= 1 else {
                    throw a.failure("needs one value per bar; a tensor of shape \(t.tensor.shape) has \(shape[0]) rows", hint: "slice(t, 0, i, i + 1) picks one row")
                }
                values = t.tensor.scalars.map(Double.init)
                names = values.indices.map(String.init)
            default:
                throw a.failure("values must be a record, a list of numbers or a tensor, got \(a["values"].described)")
            }
            if !a.isNil("names") {
                names = try a.list("names").map { $0.stringValue ?? $0.summary }
            }
            return figure(try Figure.bars(values, names: names, title: try a.optionalString("title"), valueLabel: try a.string("label")))
        }
    }

    static func panelNames(_ a: Arguments, count: Int, single: Bool) throws -> [String] {
        guard !a.isNil("names") else { return single ? [""] : (0..<count).map(String.init) }
        let names = try a.list("names").map { $0.stringValue ?? $0.summary }
        guard names.count == count else { throw a.failure("\(names.count) names for \(count) panels") }
        return names
    }

    static func colormap(_ a: Arguments) throws -> Colormap {
        let name = try a.string("colormap")
        guard let map = Colormap(rawValue: name) else {
            throw a.failure("unknown colormap \"\(name)\"", hint: "choose \(Colormap.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or "))")
        }
        return map
    }

    static func colorRange(_ a: Arguments) throws -> ClosedRange<Double>? {
        guard !a.isNil("range") else { return nil }
        let bounds = try a.numbers("range")
        guard bounds.count == 2, bounds[0] < bounds[1] else { throw a.failure("range must be [low, high] with low < high, got \(bounds)") }
        return bounds[0]...bounds[1]
    }

    /// A layer given by name (of a dataset) or number.
    static func layerIndex(_ value: LodeValue, names: [String], _ a: Arguments) throws -> Int {
        if let name = value.stringValue {
            guard let i = names.firstIndex(of: name) else {
                throw a.failure("no layer named \"\(name)\"; the layers are \(names.joined(separator: ", "))")
            }
            return i
        }
        if let n = value.numberValue, n == n.rounded(), names.indices.contains(Int(n)) { return Int(n) }
        throw a.failure("layers must hold layer names or numbers 0 to \(names.count - 1), found \(value.described)")
    }

    /// The spatial-attention map of window `index` as a panel: [N, H, W] picks the window;
    /// [H, W] (or [1, H, W]) is used as it is.
    static func attentionPanel(_ a: Arguments, index: Int) throws -> ImagePanel {
        let map = try a.typed("attention", TensorObject.self, "a tensor").tensor
        switch map.rank {
        case 2:
            return ImagePanel(name: "spatial attention", values: map.scalars, rows: map.shape[0], columns: map.shape[1])
        case 3 where map.shape[0] == 1 || map.shape[0] > index:
            let (rows, columns) = (map.shape[1], map.shape[2])
            let start = (map.shape[0] == 1 ? 0 : index) * rows * columns
            return ImagePanel(name: "spatial attention", values: Array(map.scalars[start..<(start + rows * columns)]), rows: rows, columns: columns)
        default:
            throw a.failure("attention must be a spatial-attention map [N, H, W] holding window \(index), or [H, W]; got shape \(map.shape)")
        }
    }
}
