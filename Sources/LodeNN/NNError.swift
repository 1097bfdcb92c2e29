import Foundation

/// The one error kind of LodeNN: what went wrong and where (module key, file, epoch/step).
public struct NNError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
    public var errorDescription: String? { message }
}
