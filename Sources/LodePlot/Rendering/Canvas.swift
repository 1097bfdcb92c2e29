/// What the figure renderer draws with. Two implementations: Cairo pixels for PNG and an SVG
/// text writer, so both outputs come from the same layout and match.
protocol Canvas: AnyObject {
    /// Rings filled with the even-odd rule (holes stay empty) and/or stroked.
    func path(_ rings: [[PlotPoint]], closed: Bool, fill: Color?, stroke: Color?, width: Double, dash: [Double])
    func circle(center: PlotPoint, radius: Double, fill: Color?, stroke: Color?, width: Double)
    /// `baseline` is the y of the text's baseline; `rotation` in degrees, clockwise.
    func text(_ string: String, x: Double, baseline: Double, size: Double, color: Color, anchor: TextAnchor,
              rotation: Double, bold: Bool)
    /// RGBA bytes (straight alpha), row 0 at the top, stretched over `rect` without smoothing.
    func image(rgba: [UInt8], width: Int, height: Int, rect: PlotRect)
    /// Restricts drawing to `rect` until `endClip()`.
    func beginClip(_ rect: PlotRect)
    func endClip()
}

extension Canvas {
    func rect(_ r: PlotRect, fill: Color?, stroke: Color? = nil, width: Double = 1) {
        path([[PlotPoint(r.x, r.y), PlotPoint(r.maxX, r.y), PlotPoint(r.maxX, r.maxY), PlotPoint(r.x, r.maxY)]],
             closed: true, fill: fill, stroke: stroke, width: width, dash: [])
    }

    func line(_ a: PlotPoint, _ b: PlotPoint, color: Color, width: Double, dash: [Double] = []) {
        path([[a, b]], closed: false, fill: nil, stroke: color, width: width, dash: dash)
    }

    /// Text whose vertical middle (half the cap height) sits at `y`.
    func label(_ string: String, x: Double, y: Double, size: Double, color: Color = .ink, anchor: TextAnchor = .start,
               rotation: Double = 0, bold: Bool = false) {
        if rotation == 0 {
            text(string, x: x, baseline: y + TextMetrics.capHeight(size) / 2, size: size, color: color,
                 anchor: anchor, rotation: 0, bold: bold)
        } else {
            // Rotated by -90 degrees: the baseline shifts along x instead.
            text(string, x: x + TextMetrics.capHeight(size) / 2, baseline: y, size: size, color: color,
                 anchor: anchor, rotation: rotation, bold: bold)
        }
    }
}
