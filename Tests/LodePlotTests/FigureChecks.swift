import CCairo
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import LodePlot

/// Decoded PNG: size and the distinct colours inside a region given in fractions of the image.
struct DecodedPNG {
    let width: Int
    let height: Int
    private let pixels: [UInt32]

    init(_ data: Data) throws {
        final class Source { var data: Data; var offset = 0; init(_ d: Data) { data = d } }
        let source = Source(data)
        let surface = cairo_image_surface_create_from_png_stream({ closure, buffer, length in
            guard let closure, let buffer else { return CAIRO_STATUS_READ_ERROR }
            let source = Unmanaged<Source>.fromOpaque(closure).takeUnretainedValue()
            let count = Int(length)
            guard source.offset + count <= source.data.count else { return CAIRO_STATUS_READ_ERROR }
            source.data.copyBytes(to: buffer, from: source.offset..<(source.offset + count))
            source.offset += count
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(source).toOpaque())
        guard let surface, cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw NSError(domain: "png", code: 1, userInfo: [NSLocalizedDescriptionKey: "not a PNG Cairo can read"])
        }
        defer { cairo_surface_destroy(surface) }
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else {
            throw NSError(domain: "png", code: 2, userInfo: [NSLocalizedDescriptionKey: "no pixel data"])
        }
        var pixels: [UInt32] = []
        pixels.reserveCapacity(width * height)
        for row in 0..<height {
            let line = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in 0..<width { pixels.append(line[column]) }
        }
        self.pixels = pixels
    }

    /// Distinct colours, ignoring the faintest anti-aliasing differences (top 5 bits per channel).
    func distinctColors(x: ClosedRange<Double> = 0.2...0.8, y: ClosedRange<Double> = 0.2...0.8) -> Int {
        var seen = Set<UInt32>()
        for row in Int(y.lowerBound * Double(height))..<Int(y.upperBound * Double(height)) {
            for column in Int(x.lowerBound * Double(width))..<Int(x.upperBound * Double(width)) {
                seen.insert(pixels[row * width + column] & 0xF8F8F8)
            }
        }
        return seen.count
    }
}

/// Text content of every <text> element, after checking the document is well-formed XML.
final class SVGTextCollector: NSObject, XMLParserDelegate {
    var texts: [String] = []
    var rootName: String?
    private var current: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if rootName == nil { rootName = name }
        if name == "text" { current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current? += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let current { texts.append(current) }
        current = nil
    }

    static func parse(_ svg: String) throws -> SVGTextCollector {
        let collector = SVGTextCollector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        guard parser.parse() else {
            throw NSError(domain: "svg", code: 1, userInfo: [NSLocalizedDescriptionKey: "SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")"])
        }
        return collector
    }
}

/// Renders both formats and checks them; writes the files to LODE_FIGURE_DIR when set so a
/// person can look at them.
func checkFigure(_ figure: Figure, name: String, labels: [String], minimumColors: Int = 6,
                 region: (x: ClosedRange<Double>, y: ClosedRange<Double>) = (0.2...0.8, 0.2...0.8),
                 file: StaticString = #filePath, line: UInt = #line) throws {
    let png = try figure.pngData(scale: 2)
    let decoded = try DecodedPNG(png)
    XCTAssertEqual(decoded.width, Int((figure.width * 2).rounded()), "\(name) PNG width", file: file, line: line)
    XCTAssertEqual(decoded.height, Int((figure.height * 2).rounded()), "\(name) PNG height", file: file, line: line)
    let colors = decoded.distinctColors(x: region.x, y: region.y)
    XCTAssertGreaterThanOrEqual(colors, minimumColors, "\(name): only \(colors) colours in the plot area", file: file, line: line)

    let svg = try figure.svg()
    let collector = try SVGTextCollector.parse(svg)
    XCTAssertEqual(collector.rootName, "svg", file: file, line: line)
    for label in labels {
        XCTAssertTrue(collector.texts.contains { $0.contains(label) }, "\(name): SVG lacks text \"\(label)\"; has \(collector.texts.prefix(40))",
                      file: file, line: line)
    }
    if let directory = ProcessInfo.processInfo.environment["LODE_FIGURE_DIR"] {
        try png.write(to: URL(fileURLWithPath: directory).appendingPathComponent("\(name).png"))
        try svg.write(toFile: directory + "/\(name).svg", atomically: true, encoding: .utf8)
    }
}
