import CCairo
import Foundation

/// Draws into a Cairo ARGB image surface; `pngData()` encodes it.
final class CairoCanvas: Canvas {
    private let surface: OpaquePointer
    private let context: OpaquePointer

    /// `width` x `height` points at `scale` pixels per point.
    init(width: Double, height: Double, scale: Double) throws {
        let pixelsWide = Int32((width * scale).rounded()), pixelsHigh = Int32((height * scale).rounded())
        guard pixelsWide > 0, pixelsHigh > 0, pixelsWide <= 32_767, pixelsHigh <= 32_767 else {
            throw PlotError("figure size \(width)x\(height) points at scale \(scale) gives \(pixelsWide)x\(pixelsHigh) pixels; each side must be 1 to 32767")
        }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pixelsWide, pixelsHigh) else {
            throw PlotError("Cairo could not create a \(pixelsWide)x\(pixelsHigh) image")
        }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw PlotError("Cairo could not create a \(pixelsWide)x\(pixelsHigh) image")
        }
        self.surface = surface
        self.context = context
        cairo_scale(context, scale, scale)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    private func setColor(_ c: Color) { cairo_set_source_rgba(context, c.red, c.green, c.blue, c.alpha) }

    private func applyStroke(_ color: Color, width: Double, dash: [Double]) {
        setColor(color)
        cairo_set_line_width(context, width)
        dash.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32(dash.count), 0) }
    }

    func path(_ rings: [[PlotPoint]], closed: Bool, fill: Color?, stroke: Color?, width: Double, dash: [Double]) {
        cairo_new_path(context)
        for ring in rings {
            guard let first = ring.first else { continue }
            cairo_move_to(context, first.x, first.y)
            for p in ring.dropFirst() { cairo_line_to(context, p.x, p.y) }
            if closed { cairo_close_path(context) }
        }
        if let fill {
            setColor(fill)
            cairo_set_fill_rule(context, CAIRO_FILL_RULE_EVEN_ODD)
            cairo_fill_preserve(context)
        }
        if let stroke {
            applyStroke(stroke, width: width, dash: dash)
            cairo_stroke_preserve(context)
        }
        cairo_new_path(context)
    }

    func circle(center: PlotPoint, radius: Double, fill: Color?, stroke: Color?, width: Double) {
        cairo_new_path(context)
        cairo_arc(context, center.x, center.y, radius, 0, 2 * .pi)
        if let fill {
            setColor(fill)
            cairo_fill_preserve(context)
        }
        if let stroke {
            applyStroke(stroke, width: width, dash: [])
            cairo_stroke_preserve(context)
        }
        cairo_new_path(context)
    }

    func text(_ string: String, x: Double, baseline: Double, size: Double, color: Color, anchor: TextAnchor,
              rotation: Double, bold: Bool) {
        guard !string.isEmpty else { return }
        cairo_save(context)
        TextMetrics.selectFont(context, size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, string, &extents)
        let shift: Double
        switch anchor {
        case .start: shift = 0
        case .middle: shift = extents.x_advance / 2
        case .end: shift = extents.x_advance
        }
        cairo_translate(context, x, baseline)
        cairo_rotate(context, rotation * .pi / 180)
        cairo_move_to(context, -shift, 0)
        setColor(color)
        cairo_show_text(context, string)
        cairo_restore(context)
    }

    func image(rgba: [UInt8], width: Int, height: Int, rect: PlotRect) {
        guard let image = makeImageSurface(rgba: rgba, width: width, height: height) else { return }
        defer { cairo_surface_destroy(image) }
        cairo_save(context)
        cairo_translate(context, rect.x, rect.y)
        cairo_scale(context, rect.width / Double(width), rect.height / Double(height))
        cairo_set_source_surface(context, image, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(context), CAIRO_FILTER_NEAREST)
        cairo_rectangle(context, 0, 0, Double(width), Double(height))
        cairo_fill(context)
        cairo_restore(context)
    }

    func beginClip(_ rect: PlotRect) {
        cairo_save(context)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
    }

    func endClip() { cairo_restore(context) }

    func pngData() throws -> Data { try encodePNG(surface) }
}

/// An ARGB32 surface (premultiplied, native byte order) holding straight-alpha RGBA bytes.
func makeImageSurface(rgba: [UInt8], width: Int, height: Int) -> OpaquePointer? {
    guard width > 0, height > 0, rgba.count == width * height * 4,
          let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)) else { return nil }
    cairo_surface_flush(surface)
    let stride = Int(cairo_image_surface_get_stride(surface))
    guard let data = cairo_image_surface_get_data(surface) else { cairo_surface_destroy(surface); return nil }
    for row in 0..<height {
        let pixels = UnsafeMutableRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
        for column in 0..<width {
            let i = (row * width + column) * 4
            let a = UInt32(rgba[i + 3])
            func premultiply(_ v: UInt8) -> UInt32 { (UInt32(v) * a + 127) / 255 }
            pixels[column] = (a << 24) | (premultiply(rgba[i]) << 16) | (premultiply(rgba[i + 1]) << 8) | premultiply(rgba[i + 2])
        }
    }
    cairo_surface_mark_dirty(surface)
    return surface
}

/// Cairo's PNG writer into memory.
func encodePNG(_ surface: OpaquePointer) throws -> Data {
    final class Sink { var data = Data() }
    let sink = Sink()
    let status = cairo_surface_write_to_png_stream(surface, { closure, bytes, length in
        guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
        Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
        return CAIRO_STATUS_SUCCESS
    }, Unmanaged.passUnretained(sink).toOpaque())
    guard status == CAIRO_STATUS_SUCCESS else {
        throw PlotError("Cairo could not encode the PNG: \(String(cString: cairo_status_to_string(status)))")
    }
    return sink.data
}
