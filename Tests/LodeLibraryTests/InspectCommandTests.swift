import Foundation
import LodeGeo
import LodeLibrary
import LodeNN
import LodePlot
import LodeScript
import LodeTensor
import XCTest

/// attention(), cls_attention() and the image figures, run as a script would.
final class InspectCommandTests: XCTestCase {
    let fixture = referenceFixtures.appendingPathComponent("model_ssgsnet.safetensors").path

    /// The keys of SSGSNet's attention blocks in the order the forward pass reaches them.
    static let ssgsnetKeys = (0..<4).flatMap { layer in
        ["block1", "block2"].flatMap { block in ["ca", "sa"].map { "ss.layers.\(layer).\(block).\($0)" } }
    } + ["sc.blocks.0.attn", "sc.blocks.1.attn"]

    func tensor(_ session: Session, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> Tensor {
        try XCTUnwrap(session.object(name, as: TensorObject.self), name, file: file, line: line).tensor
    }

    func figure(_ session: Session, _ name: String) throws -> Figure {
        try XCTUnwrap(session.object(name, as: FigureObject.self), name).figure
    }

    /// The source fails with an error whose text holds every part.
    func assertFails(_ session: Session, _ source: String, mentioning parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        guard let text = session.failure(source) else { return XCTFail("\(source) did not fail", file: file, line: line) }
        for part in parts { XCTAssertTrue(text.contains(part), "\(source): \"\(part)\" not in \(text)", file: file, line: line) }
    }

    func testAttentionOfSSGSNetBuiltInAndFromBlocks() throws {
        let session = librarySession()
        session.run("""
            use "models"
            m = ssgsnet(channels: 15, preset: "tiny")
            load_weights(m, "\(fixture)", prefix: "param.")
            b = ssgsnet(channels: 15, preset: "tiny")
            load_weights(b, "\(fixture)", prefix: "param.")
            x = load_tensor("\(fixture)", "input.x")
            maps = attention(m, x)
            block_maps = attention(b, x)
            names = keys(maps)
            block_names = keys(block_maps)
            ca_shape = maps["ss.layers.0.block1.ca"].shape
            sa_shape = maps["ss.layers.3.block2.sa"].shape
            attn_shape = maps["sc.blocks.1.attn"].shape
            """)
        func strings(_ name: String) -> [String] { (session.value(of: name)?.listValue ?? []).compactMap(\.stringValue) }
        func shape(_ name: String) -> [Int] { (session.value(of: name)?.listValue ?? []).compactMap { $0.numberValue.map { Int($0) } } }
        XCTAssertEqual(strings("names"), Self.ssgsnetKeys)
        XCTAssertEqual(strings("block_names"), Self.ssgsnetKeys)
        XCTAssertEqual(shape("ca_shape"), [4, 8])
        XCTAssertEqual(shape("sa_shape"), [4, 4, 4])
        XCTAssertEqual(shape("attn_shape"), [4, 4, 65, 65])

        // The model assembled in Lode sees what the built-in model sees.
        guard case .record(let maps)? = session.value(of: "maps"), case .record(let blockMaps)? = session.value(of: "block_maps") else {
            return XCTFail("attention() returns records")
        }
        for key in Self.ssgsnetKeys {
            guard case .object(let a as TensorObject)? = maps[key], case .object(let b as TensorObject)? = blockMaps[key] else {
                return XCTFail("\(key) holds a tensor in both records")
            }
            XCTAssertEqual(a.tensor.shape, b.tensor.shape, key)
            for (u, v) in zip(a.tensor.scalars, b.tensor.scalars) { XCTAssertEqual(u, v, accuracy: 1e-5, key) }
        }
        // Evaluation mode was used and the model keeps its training flag.
        let model = try XCTUnwrap(session.object("m", as: ModelObject.self)).module
        XCTAssertTrue(model.isTraining)
        let direct = try model.readAttention(try tensor(session, "x"))
        guard case .object(let sa as TensorObject)? = maps["ss.layers.0.block2.sa"] else { return XCTFail("spatial map") }
        XCTAssertEqual(sa.tensor.scalars, direct["ss.layers.0.block2.sa"]?.weights.scalars)
    }

    func testLoneBlocksAndDatasets() throws {
        let session = librarySession()
        // Three windows of 4 layers, 6 × 6 cells, as a dataset with layer names.
        let values = testValues(3 * 4 * 36, seed: 3).map { $0 + 3 }
        let data = try Dataset(windows: values, count: 3, channels: 4, size: 6, labels: [1, 0, 1], sourceIDs: ["a", "b", "c"],
                               centreX: [0, 0, 0], centreY: [0, 0, 0], layerNames: ["Au", "As", "Sb", "faults"])
        session.setVariable("data", .object(DatasetObject(data)))
        session.run("""
            ca = channel_attention(4, reduction: 2, seed: 1)
            w = attention(ca, data)
            scaled = forward(ca, data.tensor)
            sa = attention(spatial_attention(kernel: 3, seed: 2), data.tensor)
            tokens = tensor(map(range(2 * 5 * 8), fn(i) => (i % 7) / 7 - 0.5), shape: [2, 5, 8])
            att = attention(self_attention(8, heads: 2, seed: 3), tokens)
            enc = attention(encoder_block(8, heads: 2, mlp: 16, seed: 4), tokens)
            """)
        guard case .record(let w)? = session.value(of: "w"), case .object(let gate as TensorObject)? = w["channel_attention"] else {
            return XCTFail("a lone channel attention is keyed channel_attention")
        }
        XCTAssertEqual(w.keys, ["channel_attention"])
        XCTAssertEqual(gate.tensor.shape, [3, 4])
        let scaled = try tensor(session, "scaled")
        for n in 0..<3 {
            for c in 0..<4 {
                let i = (n * 4 + c) * 36 + 7
                XCTAssertEqual(scaled.scalars[i] / values[i], gate.tensor.scalars[n * 4 + c], accuracy: 1e-5)
            }
        }
        guard case .record(let sa)? = session.value(of: "sa"), case .record(let att)? = session.value(of: "att"),
              case .record(let enc)? = session.value(of: "enc") else { return XCTFail("records") }
        XCTAssertEqual(sa.keys, ["spatial_attention"])
        XCTAssertEqual(att.keys, ["self_attention"])
        XCTAssertEqual(enc.keys, ["attn"])
        guard case .object(let weights as TensorObject)? = att["self_attention"] else { return XCTFail("self-attention weights") }
        XCTAssertEqual(weights.tensor.shape, [2, 2, 5, 5])
        for row in 0..<20 {
            XCTAssertEqual(weights.tensor.scalars[(row * 5)..<(row * 5 + 5)].reduce(0, +), 1, accuracy: 1e-5)
        }
    }

    func testAttentionErrorsNameTheModelAndTheShapes() throws {
        let session = librarySession()
        session.run("""
            use "models"
            x = load_tensor("\(fixture)", "input.x")
            three = slice(x, 1, 0, 3)
            """)
        assertFails(session, "attention(dualbranch(preset: \"tiny\"), x)", mentioning: ["DualBranchNet", "has no channel, spatial or self-attention block"])
        assertFails(session, "attention(ssgsnet(preset: \"tiny\"), three)", mentioning: ["[4, 3, 32, 32]", "15"])
        assertFails(session, "attention(ssgsnet(preset: \"tiny\"), three)", mentioning: ["[4, 3, 32, 32]", "[N, 15, H, W]"])
        assertFails(session, "attention(ssgsnet(preset: \"tiny\"), 3)", mentioning: ["must be a tensor or a dataset"])
    }

    func testClsAttentionIsRowZeroOnThePatchGrid() throws {
        let session = librarySession()
        session.run("""
            x = load_tensor("\(fixture)", "input.x")
            w = attention(vit(channels: 15, preset: "tiny", seed: 2), x)["sc.blocks.1.attn"]
            c = cls_attention(w)
            one = cls_attention(w, index: 2)
            """)
        let w = try tensor(session, "w"), c = try tensor(session, "c"), one = try tensor(session, "one")
        XCTAssertEqual(w.shape, [4, 4, 65, 65])
        XCTAssertEqual(c.shape, [4, 4, 8, 8])
        XCTAssertEqual(one.shape, [4, 8, 8])
        for n in 0..<4 {
            for h in 0..<4 {
                for i in 0..<8 {
                    for j in 0..<8 {
                        let expected = w.scalars[((n * 4 + h) * 65) * 65 + 1 + i * 8 + j]
                        XCTAssertEqual(c.scalars[((n * 4 + h) * 8 + i) * 8 + j], expected)
                        if n == 2 { XCTAssertEqual(one.scalars[(h * 8 + i) * 8 + j], expected) }
                    }
                }
            }
        }
        assertFails(session, "cls_attention(attention(channel_attention(15, seed: 1), x).channel_attention)", mentioning: ["[N, heads, T, T]", "[4, 15]"])
        assertFails(session, "cls_attention(reshape(tensor(map(range(36), fn(i) => i)), [1, 1, 6, 6]))", mentioning: ["T = 6 tokens"])
        assertFails(session, "cls_attention(w, index: 4)", mentioning: ["index 4 is out of range for 4 windows"])
    }

    func testPlotImagePanelsAndErrors() throws {
        let session = librarySession()
        session.run("""
            t = tensor(map(range(2 * 3 * 4), fn(i) => i), shape: [1, 2, 3, 4])
            panels = plot_image(t, title: "Two", names: ["first", "second"], label: "value")
            single = plot_image(slice(t, 1, 1, 2), colormap: "diverging", range: [-30, 30], x_label: "key token")
            """)
        let panels = try figure(session, "panels")
        XCTAssertEqual(panels.title, "Two")
        XCTAssertEqual(panels.panels.count, 3)                    // two images and the shared scale
        XCTAssertEqual(panels.panels.prefix(2).map(\.title), ["first", "second"])
        guard case .image(let second) = panels.panels[1].series[0] else { return XCTFail("an image panel") }
        XCTAssertEqual(second.values, (12..<24).map(Float.init))
        XCTAssertEqual([second.rows, second.columns], [3, 4])
        XCTAssertEqual(second.range, 0...23)
        XCTAssertEqual(panels.panels[2].yLabel, "value")
        let png = try panels.pngData(scale: 1)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertTrue(try panels.svg().contains("second"))

        let single = try figure(session, "single")
        XCTAssertEqual(single.panels.count, 1)
        XCTAssertEqual(single.panels[0].colorBar?.range, -30...30)
        XCTAssertEqual(single.panels[0].colorBar?.colormap, .diverging)
        XCTAssertEqual(single.panels[0].xLabel, "key token")

        assertFails(session, "plot_image(tensor([1, 2, 3]))", mentioning: ["[H, W] or [K, H, W]", "plot_bars"])
        assertFails(session, "plot_image(t, names: [\"a\"])", mentioning: ["1 names for 2 panels"])
        assertFails(session, "plot_image(t, colormap: \"jet\")", mentioning: ["unknown colormap \"jet\""])
    }

    func testPlotWindowShowsNamedLayersAndTheAttentionMap() throws {
        let session = librarySession()
        let values = testValues(2 * 3 * 16, seed: 5)
        let data = try Dataset(windows: values, count: 2, channels: 3, size: 4, labels: [0, 1], sourceIDs: ["a", "b"],
                               centreX: [0, 0], centreY: [0, 0], layerNames: ["Au", "As", "faults"])
        session.setVariable("data", .object(DatasetObject(data)))
        session.run("""
            picked = plot_window(data, 1, layers: ["faults", "Au"])
            maps = attention(spatial_attention(kernel: 3, seed: 1), data)
            beside = plot_window(data.tensor, 1, attention: maps.spatial_attention)
            """)
        let picked = try figure(session, "picked")
        XCTAssertEqual(picked.title, "Window 1 (deposit)")
        XCTAssertEqual(picked.panels.prefix(2).map(\.title), ["faults", "Au"])
        guard case .image(let faults) = picked.panels[0].series[0] else { return XCTFail("an image panel") }
        XCTAssertEqual(faults.values, Array(values[(48 + 32)..<(48 + 48)]))
        XCTAssertEqual(faults.range, picked.panels[2].yRange)      // one scale for the layers

        let beside = try figure(session, "beside")
        XCTAssertEqual(beside.title, "Window 1")
        XCTAssertEqual(beside.panels.map(\.title), ["0", "1", "2", "spatial attention"])
        XCTAssertTrue(beside.panels.allSatisfy { $0.colorBar != nil })
        guard case .image(let attention) = beside.panels[3].series[0], case .record(let maps)? = session.value(of: "maps"),
              case .object(let map as TensorObject)? = maps["spatial_attention"] else { return XCTFail("the attention panel") }
        XCTAssertEqual(attention.values, Array(map.tensor.scalars[16..<32]))

        assertFails(session, "plot_window(data, 0, layers: [\"Cu\"])", mentioning: ["no layer named \"Cu\"; the layers are Au, As, faults"])
        assertFails(session, "plot_window(data, 2)", mentioning: ["index 2 is out of range for 2 windows"])
    }

    func testPlotBarsFromRecordsListsAndTensors() throws {
        let session = librarySession()
        session.run("""
            from_record = plot_bars({Au: 0.8, As: 0.3}, title: "Weights", label: "weight")
            from_tensor = plot_bars(tensor([0.1, 0.5, 0.2], shape: [1, 3]), names: ["Au", "As", "faults"])
            from_list = plot_bars([2, 1])
            """)
        func bars(_ name: String) throws -> (names: AxisScale, ends: [Double]) {
            let axes = try figure(session, name).panels[0]
            guard case .bars(let b) = axes.series[0] else { throw NSError(domain: "test", code: 1) }
            return (axes.yScale, b.ends)
        }
        let record = try bars("from_record")
        XCTAssertEqual(record.names, .categories(["As", "Au"]))           // first on top
        XCTAssertEqual(record.ends, [0.3, 0.8])
        XCTAssertEqual(try figure(session, "from_record").panels[0].xLabel, "weight")
        let fromTensor = try bars("from_tensor")
        XCTAssertEqual(fromTensor.names, .categories(["faults", "As", "Au"]))
        XCTAssertEqual(fromTensor.ends.map { ($0 * 1000).rounded() / 1000 }, [0.2, 0.5, 0.1])
        XCTAssertEqual(try bars("from_list").names, .categories(["1", "0"]))
        assertFails(session, "plot_bars(tensor([1, 2, 3, 4], shape: [2, 2]))", mentioning: ["has 2 rows"])
        assertFails(session, "plot_bars([1, 2], names: [\"a\"])", mentioning: ["1 names for 2 values"])
    }
}
