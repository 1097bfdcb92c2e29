import Foundation
import LodeGeo
import LodeScript

/// `save` and `load`, choosing the format by the file's extension.
enum IOCommands {
    static func register(in registry: CommandRegistry) {
        let r = Registrar(registry: registry, category: "files")
        r.add("save", [Parameter("value", doc: "a raster, stack, points, lines, zones, model, figure or table"),
                       Parameter("path", .string, doc: "the file; its extension picks the format"),
                       Parameter("type", .string, default: "float32", doc: "GeoTIFF band type: \"float32\" or \"float64\" (no-data cells, e.g. outside a study-area mask, are written as -9999 and marked as no-data)")],
              returns: "string",
              doc: "Writes a value in the format its extension names: .tif (raster or stack, GeoTIFF), .geojson/.gpkg/.shp (points, lines, zones with their deposits' names), .safetensors (model weights), .png/.svg (figure), .csv (table, zones, points), .md (table, zones). Returns the path.",
              example: "save(prob, \"out/prospectivity.tif\")") { a in
            let path = try a.string("path")
            guard !path.isEmpty else { throw a.failure("the path is empty", hint: "give a file name such as \"out/map.tif\"") }
            // URL, not NSString: NSString's path getters trap on some short paths on Linux.
            let url = URL(fileURLWithPath: path)
            let ext = url.pathExtension.lowercased()
            let folder = path.contains("/") ? url.deletingLastPathComponent().path : ""
            if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            func text(_ s: String) throws { try s.write(toFile: path, atomically: true, encoding: .utf8) }
            let value = a["value"]
            guard let type = GeoTIFF.SampleType(rawValue: try a.string("type").lowercased()) else {
                throw a.failure("unknown GeoTIFF type \"\(try a.string("type"))\"", hint: "choose \"float32\" or \"float64\"")
            }
            switch (value, ext) {
            case (.object(let o as RasterObject), "tif"), (.object(let o as RasterObject), "tiff"): try GeoTIFF.write(o.raster, to: path, type: type)
            case (.object(let o as StackObject), "tif"), (.object(let o as StackObject), "tiff"): try GeoTIFF.write(o.stack, to: path, type: type)
            case (.object(let o as PointsObject), "geojson"), (.object(let o as PointsObject), "gpkg"), (.object(let o as PointsObject), "shp"),
                 (.object(let o as PointsObject), "csv"): try o.layer.write(to: path)
            case (.object(let o as LinesObject), "geojson"), (.object(let o as LinesObject), "gpkg"), (.object(let o as LinesObject), "shp"):
                try o.layer.write(to: path)
            case (.object(let o as ZonesObject), "geojson"), (.object(let o as ZonesObject), "gpkg"), (.object(let o as ZonesObject), "shp"):
                try o.zones.write(to: path)
            case (.object(let o as ZonesObject), "csv"): try text(o.zones.csv)
            case (.object(let o as ZonesObject), "md"): try text(o.zones.markdown)
            case (.object(let o as ModelObject), "safetensors"): try o.module.saveCheckpoint(path: path)
            case (.object(let o as FigureObject), "png"): try o.figure.writePNG(to: path)
            case (.object(let o as FigureObject), "svg"): try o.figure.writeSVG(to: path)
            case (.object(let o as TableObject), "csv"): try text(o.csv)
            case (.object(let o as TableObject), "md"), (.object(let o as TableObject), "txt"): try text(o.plainText + "\n")
            case (.object(let o as HistoryObject), "csv"): try text(o.table.csv)
            case (.string(let s), _): try text(s)
            default:
                throw LodeError(.argument, "save(): cannot write \(value.typeName) as .\(ext)",
                                at: a.context.location, hint: "rasters and stacks → .tif, points/lines/zones → .geojson, models → .safetensors, figures → .png/.svg, tables → .csv")
            }
            return .string(path)
        }
        r.add("export_survey", [Parameter("survey", .object("survey"), doc: "a synthetic survey"),
                                Parameter("folder", .string, doc: "where the files go"),
                                Parameter("stack", .optional(.object("stack")), default: .nil, doc: "a stack to write as stack.tif too")],
              returns: "list",
              doc: "Writes the survey as GIS files (samples.csv and .geojson, faults.geojson and .gpkg, known and hidden deposits, geology.tif, and stack.tif when given), so the file-based workflow can be tried on it. Returns the paths.",
              example: "files = export_survey(survey, \"data\")") { a in
            let stack = a.isNil("stack") ? nil : try a.typed("stack", StackObject.self, "a stack").stack
            let paths = try a.typed("survey", SurveyObject.self, "a survey").survey.export(to: try a.string("folder"), stack: stack)
            return .list(paths.map { .string($0) })
        }
        r.add("temp_folder", [Parameter("prefix", .string, default: "lode", doc: "the start of the folder's name")],
              returns: "string",
              doc: "Creates a new, empty folder under the system's temporary directory ($TMPDIR or /tmp) and returns its path: a scratch place for files a notebook writes and reads back.",
              example: "folder = temp_folder()") { a in
            let prefix = try a.string("prefix")
            guard !prefix.isEmpty, !prefix.contains("/") else { throw a.failure("prefix must be a non-empty name without '/'") }
            let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            var template = Array((base as NSString).appendingPathComponent(prefix + "-XXXXXX").utf8CString)
            // mkdtemp picks a unique name and creates the folder in one step, so two sessions never share one.
            guard let made = mkdtemp(&template) else {
                throw LodeError(.io, "temp_folder(): cannot create a folder under \(base): \(String(cString: strerror(errno)))", at: a.context.location)
            }
            return .string(String(cString: made))
        }
        r.add("list_files", [Parameter("folder", .string, doc: "the folder"),
                             Parameter("extension", .optional(.string), default: .nil, doc: "keep only names ending in this extension (e.g. \"tif\")")],
              returns: "list",
              doc: "The names of the files in a folder, sorted (sub-folders left out).",
              example: "list_files(folder, extension: \"geojson\")") { a in
            let folder = try a.string("folder")
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw LodeError(.io, "list_files(): no such folder '\(folder)'", at: a.context.location)
            }
            let wanted = try a.optionalString("extension").map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { name in
                var sub: ObjCBool = false
                FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(name), isDirectory: &sub)
                return !sub.boolValue && (wanted == nil || (name as NSString).pathExtension.lowercased() == wanted)
            }
            return .list(names.sorted().map { .string($0) })
        }
        r.add("load", [Parameter("path", .string, doc: "the file; its extension picks the reader")],
              returns: "stack, raster, points, lines or string",
              doc: "Reads a file by its extension: .tif (a stack, or a raster when it has one band), .csv/.geojson/.gpkg/.shp (points; use read_lines for lines), .txt/.md/.json (text). Model weights load into a model with load_weights(model, path).",
              example: "stack = load(\"out/stack.tif\")") { a in
            let path = try a.string("path")
            guard FileManager.default.fileExists(atPath: path) else {
                throw LodeError(.io, "load(): no such file '\(path)'", at: a.context.location)
            }
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "tif", "tiff":
                let stack = try GeoTIFF.read(path: path)
                return stack.count == 1 ? .object(RasterObject(stack.layers[0])) : .object(StackObject(stack))
            case "csv", "geojson", "gpkg", "shp": return .object(PointsObject(try PointLayer.read(path: path)))
            case "txt", "md", "json": return .string(try String(contentsOfFile: path, encoding: .utf8))
            case "safetensors":
                throw LodeError(.argument, "load(): model weights need a model to go into", at: a.context.location,
                                hint: "build the model, then load_weights(model, \"\(path)\")")
            case let ext:
                throw LodeError(.argument, "load(): unknown file type '.\(ext)'", at: a.context.location)
            }
        }
    }
}
