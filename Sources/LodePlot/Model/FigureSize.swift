/// Sizes a figure is drawn at. Layout is in points and panels sit at fractions of the figure,
/// so a resized figure reflows its panels while text keeps its size.
extension Figure {
    /// Each side may be this many points (1/72 inch); smaller leaves no room for axes and
    /// labels, larger makes PNGs of tens of megabytes.
    public static let sideLimits: ClosedRange<Double> = 100...3000

    /// The widest figure that fits a notebook's output column (960 CSS px = 720 pt) at full
    /// size, so its text is read at the size it was laid out for.
    public static let columnWidth = 720.0

    /// The same figure drawn `width` x `height` points; a nil side keeps its value.
    public func resized(width newWidth: Double? = nil, height newHeight: Double? = nil) throws -> Figure {
        var figure = self
        for (side, value) in [("width", newWidth), ("height", newHeight)] {
            guard let value else { continue }
            guard value.isFinite, Self.sideLimits.contains(value) else {
                throw PlotError("a figure's \(side) must be between \(Int(Self.sideLimits.lowerBound)) and \(Int(Self.sideLimits.upperBound)) points, got \(value)")
            }
        }
        if let newWidth { figure.width = newWidth }
        if let newHeight { figure.height = newHeight }
        return figure
    }
}
