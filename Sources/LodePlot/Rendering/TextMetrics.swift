import CCairo
import Foundation

/// Text widths from Cairo with the figure font, so layout leaves exactly the room the labels
/// need in both PNG and SVG.
enum TextMetrics {
    static let family = "DejaVu Sans"
    private static let lock = NSLock()
    nonisolated(unsafe) private static let context: OpaquePointer? = {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        return cairo_create(surface)
    }()

    static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        guard !text.isEmpty, let context else { return 0 }
        lock.lock()
        defer { lock.unlock() }
        selectFont(context, size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// Height of capital letters (0.729 em in DejaVu Sans).
    static func capHeight(_ size: Double) -> Double { 0.729 * size }

    static func selectFont(_ context: OpaquePointer, size: Double, bold: Bool) {
        cairo_select_font_face(context, family, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
    }
}
