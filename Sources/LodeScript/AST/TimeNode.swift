import Foundation

/// `time(expr)`: the argument is timed as it is evaluated, which an ordinary command cannot do
/// (its arguments are evaluated before it runs). If the user has defined their own `time`,
/// this is an ordinary call.
final class TimeNode: Node {
    let location: SourceLocation
    let call: CallNode
    let table: GlobalTable
    let slot: Int

    init(call: CallNode, table: GlobalTable, slot: Int) {
        self.location = call.location
        self.call = call
        self.table = table
        self.slot = slot
    }

    func evaluate(_ interpreter: Interpreter, _ frame: Frame) throws -> LodeValue {
        if table.isUserDefined[slot] {
            return try call.evaluate(interpreter, frame)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        var value = try call.positional[0].evaluate(interpreter, frame)
        if case .function = value {
            value = try interpreter.callValue(value, positional: [], named: [], at: location)
        }
        Builtins.reportElapsed(since: start, to: interpreter.output)
        return value
    }
}
