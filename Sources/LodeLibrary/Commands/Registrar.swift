import Foundation
import LodeScript
import LodeTensor

/// Registers commands of one reference category, wrapping errors from the Swift modules into
/// LodeErrors that name the command (the location is the call in the user's code).
struct Registrar {
    let registry: CommandRegistry
    let category: String

    func add(_ name: String, _ parameters: [Parameter] = [], returns: String, doc: String, example: String,
             _ body: @escaping (Arguments) throws -> LodeValue) {
        registry.register(name, parameters: parameters, doc: doc, examples: [example], returns: returns,
                          category: category) { arguments in
            // Long library work reports progress and stops on interrupt through this monitor.
            let context = arguments.context
            let given = GivenWarnings()
            let monitor = WorkMonitor(isCancelled: { context.isInterruptRequested },
                                      report: { fraction, what in
                                          context.progress(ProgressEvent(fraction: fraction, message: what))
                                      },
                                      warning: { text in
                                          // One path for every warning: shown where the user is, kept on the value.
                                          given.append(text)
                                          context.output.stream(.stderr, text: "warning: \(name)(): \(text)\n")
                                      })
            // The request is answered here (and cleared), with where the work stopped.
            func interruption(_ what: String) -> LodeError {
                _ = try? context.checkInterrupt()
                return LodeError(.interrupted, "\(name)(): \(what)", at: context.location,
                                 hint: "variables keep the values they had when the work stopped")
            }
            do {
                let result = try WorkMonitor.$current.withValue(monitor) { try body(arguments) }
                if case .object(let carrier as WarningCarrier) = result { carrier.warnings += given.texts }
                return result
            } catch let error as LodeError {
                throw error
            } catch let interrupted as WorkInterrupted {
                throw interruption("\(interrupted)")
            } catch {
                // Library code with its own cancel check (predict_map, shap) stops with its own
                // error once the user asks to stop: that is the interruption, not a failure.
                if context.isInterruptRequested { throw interruption("\(error)") }
                throw LodeError(.command, "\(name)(): \(error)", at: arguments.context.location)
            }
        }
    }
}

/// A value that keeps the warnings given while it was made (`value.warnings`).
public protocol WarningCarrier: AnyObject {
    var warnings: [String] { get set }
}

/// Warnings collected during one command (workers may warn from other threads).
final class GivenWarnings: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ text: String) { lock.lock(); items.append(text); lock.unlock() }
    var texts: [String] { lock.lock(); defer { lock.unlock() }; return items }
}

extension Arguments {
    func typed<T: LodeObject>(_ name: String, _ type: T.Type, _ what: String) throws -> T {
        guard case .object(let object) = self[name], let typed = object as? T else {
            throw LodeError(.type, "argument '\(name)' of \(command)() must be \(what), got \(self[name].described)",
                            at: context.location)
        }
        return typed
    }

    func optionalInteger(_ name: String) throws -> Int? { isNil(name) ? nil : try integer(name) }
    func optionalNumber(_ name: String) throws -> Double? { isNil(name) ? nil : try number(name) }
    func optionalString(_ name: String) throws -> String? { isNil(name) ? nil : try string(name) }

    func seed(_ name: String = "seed") throws -> UInt64 {
        let value = try integer(name)
        guard value >= 0 else { throw LodeError(.argument, "\(name) of \(command)() must not be negative", at: context.location) }
        return UInt64(value)
    }

    func numbers(_ name: String) throws -> [Double] {
        try list(name).map { value in
            guard case .number(let number) = value else {
                throw LodeError(.type, "argument '\(name)' of \(command)() must be a list of numbers, found \(value.described)",
                                at: context.location)
            }
            return number
        }
    }

    /// A list of whole numbers used as sizes (a tensor shape): no trap on 1e20, NaN or 2.5.
    func sizes(_ name: String) throws -> [Int] {
        try numbers(name).map { number in
            guard number.isFinite, number == number.rounded(), abs(number) < 9e15 else {
                throw LodeError(.argument, "argument '\(name)' of \(command)() must hold whole numbers, found \(LodeValue.number(number).summary)",
                                at: context.location)
            }
            return Int(number)
        }
    }

    func strings(_ name: String) throws -> [String] {
        try list(name).map { value in
            guard case .string(let text) = value else {
                throw LodeError(.type, "argument '\(name)' of \(command)() must be a list of strings, found \(value.described)",
                                at: context.location)
            }
            return text
        }
    }

    func failure(_ message: String, hint: String? = nil) -> LodeError {
        LodeError(.argument, "\(command)(): \(message)", at: context.location, hint: hint)
    }

    /// Reports a fraction of work and checks for an interruption request.
    func progress(_ fraction: Double?, _ message: String, eta: Double? = nil, finished: Bool = false) throws {
        context.progress(ProgressEvent(fraction: fraction, message: message, eta: eta, finished: finished))
        if !finished { try context.checkInterrupt() }
    }
}

extension LodeValue {
    /// The type and, for short values, the value itself: "string \"Au\"", "raster".
    var described: String {
        switch self {
        case .object(let object): return object.typeName
        case .nil: return "nil"
        default:
            let text = summary
            return text.count <= 40 ? "\(typeName) \(text)" : typeName
        }
    }
}
