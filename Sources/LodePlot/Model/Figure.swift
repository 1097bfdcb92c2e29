/// A point in data coordinates (or canvas points, for the renderer).
public struct PlotPoint: Equatable, Sendable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// Rectangle in figure fractions (panel frames) or canvas points; y grows downwards.
public struct PlotRect: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public static let whole = PlotRect(x: 0, y: 0, width: 1, height: 1)
    var maxX: Double { x + width }
    var maxY: Double { y + height }
}

/// A figure: a size, an optional title and one or more panels. It is a plain value; render it
/// with `pngData()` or `svg()`.
public struct Figure: Sendable {
    /// Size in points (1/72 inch); PNGs are drawn at `scale` pixels per point.
    public var width: Double
    public var height: Double
    public var title: String?
    public var panels: [Axes]
    public var background: Color = .white

    public init(width: Double = 720, height: Double = 480, title: String? = nil, panels: [Axes] = []) {
        self.width = width
        self.height = height
        self.title = title
        self.panels = panels
    }
}

public enum AxisScale: Equatable, Sendable {
    case numeric
    /// Numeric, with ticks on whole numbers only (epochs, counts).
    case integers
    /// Labels at positions 0, 1, 2, ...
    case categories([String])
    case hidden
}

public enum LegendPlacement: Equatable, Sendable {
    case upperLeft, upperRight, lowerLeft, lowerRight
    /// To the right of the plot area, outside it.
    case outsideRight
    /// Inside, in the corner whose box covers the least of the lines and markers (upper
    /// right, upper left, lower right, lower left on a tie): for curves whose shape is not
    /// known when the figure is made, such as a training history.
    case leastCrowded
}

/// A colour scale drawn beside the plot.
public struct ColorBar: Equatable, Sendable {
    public var colormap: Colormap
    public var range: ClosedRange<Double>
    public var label: String
    /// Text at the low and high end instead of numbers (e.g. "Low", "High").
    public var endLabels: (low: String, high: String)?

    public init(colormap: Colormap, range: ClosedRange<Double>, label: String, endLabels: (low: String, high: String)? = nil) {
        self.colormap = colormap
        self.range = range
        self.label = label
        self.endLabels = endLabels
    }

    public static func == (a: ColorBar, b: ColorBar) -> Bool {
        a.colormap == b.colormap && a.range == b.range && a.label == b.label
            && a.endLabels?.low == b.endLabels?.low && a.endLabels?.high == b.endLabels?.high
    }
}

/// A second y axis on the right whose labels read the left axis backwards (hi + lo - v), as
/// the prediction-area plot shows the occupied area.
public struct ReversedRightAxis: Equatable, Sendable {
    public var label: String

    public init(label: String) { self.label = label }
}

/// One plot area with its axes and marks.
public struct Axes: Sendable {
    /// Where the panel sits, as fractions of the figure below its title.
    public var frame: PlotRect = .whole
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    /// nil: fitted to the data.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var xScale: AxisScale = .numeric
    public var yScale: AxisScale = .numeric
    public var series: [Series] = []
    public var legend: LegendPlacement?
    public var colorBar: ColorBar?
    public var rightAxis: ReversedRightAxis?
    /// One data unit is as long on x as on y (maps).
    public var equalAspect = false
    public var grid = true
    /// Fraction of the data span added on each side when a range is fitted.
    public var margin = 0.04

    public init(frame: PlotRect = .whole, title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                series: [Series] = []) {
        self.frame = frame
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }
}

public enum MarkerShape: Equatable, Sendable {
    case circle, square, triangle, diamond, star
}

public enum Series: Sendable {
    case line(Line)
    case scatter(Scatter)
    case bars(Bars)
    case image(Image)
    case polygons(Polygons)
    case reference(ReferenceLine)
    case text(TextMark)

    public struct Line: Sendable {
        public var x: [Double]
        public var y: [Double]
        public var color: Color
        public var width: Double = 1.8
        /// Dash and gap lengths in points; empty = solid.
        public var dash: [Double] = []
        public var label: String?

        public init(x: [Double], y: [Double], color: Color, width: Double = 1.8, dash: [Double] = [], label: String? = nil) {
            self.x = x
            self.y = y
            self.color = color
            self.width = width
            self.dash = dash
            self.label = label
        }
    }

    public struct Scatter: Sendable {
        public var x: [Double]
        public var y: [Double]
        /// One colour for all points, or one per point.
        public var colors: [Color]
        public var shape: MarkerShape = .circle
        /// Marker diameter in points.
        public var size: Double = 6
        public var edge: Color?
        public var label: String?

        public init(x: [Double], y: [Double], colors: [Color], shape: MarkerShape = .circle, size: Double = 6,
                    edge: Color? = nil, label: String? = nil) {
            self.x = x
            self.y = y
            self.colors = colors
            self.shape = shape
            self.size = size
            self.edge = edge
            self.label = label
        }
    }

    public struct Bars: Sendable {
        /// Bar centres along the category axis.
        public var positions: [Double]
        /// Where each bar starts and ends along the value axis.
        public var starts: [Double]
        public var ends: [Double]
        public var colors: [Color]
        public var horizontal = false
        /// Thickness in axis units along the category axis.
        public var thickness = 0.8
        /// Text drawn just past the end of each bar (or none).
        public var valueLabels: [String] = []
        public var label: String?

        public init(positions: [Double], starts: [Double], ends: [Double], colors: [Color], horizontal: Bool = false,
                    thickness: Double = 0.8, valueLabels: [String] = [], label: String? = nil) {
            self.positions = positions
            self.starts = starts
            self.ends = ends
            self.colors = colors
            self.horizontal = horizontal
            self.thickness = thickness
            self.valueLabels = valueLabels
            self.label = label
        }
    }

    /// A grid of values, row 0 at the top, covering `extent` in data coordinates; NaN cells
    /// are left transparent.
    public struct Image: Sendable {
        public var values: [Float]
        public var rows: Int
        public var columns: Int
        public var extent: (xMin: Double, xMax: Double, yMin: Double, yMax: Double)
        public var colormap: Colormap
        public var range: ClosedRange<Double>

        public init(values: [Float], rows: Int, columns: Int, extent: (xMin: Double, xMax: Double, yMin: Double, yMax: Double),
                    colormap: Colormap, range: ClosedRange<Double>) {
            self.values = values
            self.rows = rows
            self.columns = columns
            self.extent = extent
            self.colormap = colormap
            self.range = range
        }
    }

    /// Closed rings (outer rings and holes, filled even-odd) or open polylines.
    public struct Polygons: Sendable {
        public var rings: [[PlotPoint]]
        public var stroke: Color?
        public var fill: Color?
        public var width: Double = 1.5
        public var dash: [Double] = []
        public var closed = true
        public var label: String?

        public init(rings: [[PlotPoint]], stroke: Color?, fill: Color? = nil, width: Double = 1.5, dash: [Double] = [],
                    closed: Bool = true, label: String? = nil) {
            self.rings = rings
            self.stroke = stroke
            self.fill = fill
            self.width = width
            self.dash = dash
            self.closed = closed
            self.label = label
        }
    }

    /// A line across the whole plot at a value, with an optional caption at its end.
    public struct ReferenceLine: Sendable {
        public var value: Double
        public var vertical: Bool
        public var color: Color
        public var width: Double = 1.2
        public var dash: [Double] = [5, 3]
        public var caption: String?
        public var label: String?

        public init(value: Double, vertical: Bool, color: Color, width: Double = 1.2, dash: [Double] = [5, 3],
                    caption: String? = nil, label: String? = nil) {
            self.value = value
            self.vertical = vertical
            self.color = color
            self.width = width
            self.dash = dash
            self.caption = caption
            self.label = label
        }
    }

    public struct TextMark: Sendable {
        public var x: Double
        public var y: Double
        public var text: String
        public var size: Double = 9
        public var color: Color = .ink
        public var anchor: TextAnchor = .start
        public var bold = false
        /// Shift in points to the right (negative: left) of the data point, to keep text off a line.
        public var offset: Double = 0

        public init(x: Double, y: Double, text: String, size: Double = 9, color: Color = .ink,
                    anchor: TextAnchor = .start, bold: Bool = false, offset: Double = 0) {
            self.x = x
            self.y = y
            self.text = text
            self.size = size
            self.color = color
            self.anchor = anchor
            self.bold = bold
            self.offset = offset
        }
    }
}

/// Horizontal alignment of text at its point; the point is at the text's vertical middle.
public enum TextAnchor: Sendable {
    case start, middle, end
}
