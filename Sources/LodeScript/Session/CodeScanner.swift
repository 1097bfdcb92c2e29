/// Looks at the text before the cursor without running anything: is the cursor inside a
/// string, which word is being typed, what precedes it, and which call's parentheses are open.
struct CodeScanner {
    let scalars: [Unicode.Scalar]
    let cursor: Int

    init(_ code: String, cursor: Int) {
        let all = Array(code.unicodeScalars)
        self.scalars = all
        self.cursor = max(0, min(cursor, all.count))
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }

    /// The index just after the opening quote if the cursor is inside a string literal.
    var openStringStart: Int? {
        var index = 0
        var quote: Unicode.Scalar?
        var start = 0
        while index < cursor {
            let scalar = scalars[index]
            if let open = quote {
                if scalar == "\\" { index += 2; continue }
                if scalar == open { quote = nil }
            } else if scalar == "#" {
                while index < cursor, scalars[index] != "\n" { index += 1 }
                continue
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
                start = index + 1
            }
            index += 1
        }
        return quote == nil ? nil : start
    }

    /// Start of the identifier that ends at the cursor.
    var wordStart: Int {
        var index = cursor
        while index > 0, CodeScanner.isWordScalar(scalars[index - 1]) { index -= 1 }
        return index
    }

    /// End of the identifier that contains the cursor.
    var wordEnd: Int {
        var index = cursor
        while index < scalars.count, CodeScanner.isWordScalar(scalars[index]) { index += 1 }
        return index
    }

    func text(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }

    /// For `a.b.pre|`: ["a", "b"]; nil when the word is not after a dot.
    func memberChain(before start: Int) -> [String]? {
        guard start > 0, scalars[start - 1] == "." else { return nil }
        var chain: [String] = []
        var end = start - 1
        while true {
            var begin = end
            while begin > 0, CodeScanner.isWordScalar(scalars[begin - 1]) { begin -= 1 }
            if begin == end { return nil }
            chain.insert(text(begin..<end), at: 0)
            if begin > 0, scalars[begin - 1] == "." {
                end = begin - 1
            } else {
                return chain
            }
        }
    }

    /// The name of the function whose argument list is open at `position`, and the names of
    /// the named arguments already written in it.
    func enclosingCall(at position: Int) -> (name: String, usedNames: [String], positionalCount: Int)? {
        var depth = 0
        var index = position - 1
        var usedNames: [String] = []
        var commas = 0
        var quote: Unicode.Scalar?
        while index >= 0 {
            let scalar = scalars[index]
            if let open = quote {
                if scalar == open { quote = nil }
                index -= 1
                continue
            }
            switch scalar {
            case "\"", "'": quote = scalar
            case ")", "]", "}": depth += 1
            case "[", "{":
                if depth == 0 { return nil }
                depth -= 1
            case "(":
                if depth == 0 {
                    var end = index
                    while end > 0, scalars[end - 1] == " " { end -= 1 }
                    var begin = end
                    while begin > 0, CodeScanner.isWordScalar(scalars[begin - 1]) { begin -= 1 }
                    guard begin < end else { return nil }
                    return (text(begin..<end), usedNames, commas - usedNames.count)
                }
                depth -= 1
            case ",":
                if depth == 0 { commas += 1 }
            case ":":
                if depth == 0 {
                    var end = index
                    while end > 0, scalars[end - 1] == " " { end -= 1 }
                    var begin = end
                    while begin > 0, CodeScanner.isWordScalar(scalars[begin - 1]) { begin -= 1 }
                    if begin < end { usedNames.append(text(begin..<end)) }
                }
            default: break
            }
            index -= 1
        }
        return nil
    }
}
