/// Python's `json.dumps` with its defaults (`", "` and `": "` separators, `ensure_ascii`, floats as
/// `repr`), optionally with `sort_keys=True`: metaxy 0.1 hashes specs and schemas in this form, so
/// the text must match byte for byte.
public enum PythonJSON {
    public static func dumps(_ value: JSONValue, sortKeys: Bool = false) -> String {
        var out = ""
        write(value, sortKeys: sortKeys, to: &out)
        return out
    }

    private static func write(_ value: JSONValue, sortKeys: Bool, to out: inout String) {
        switch value {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d): out += floatRepr(d)
        case let .string(s): quote(s, to: &out)
        case let .array(items):
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += ", " }
                write(item, sortKeys: sortKeys, to: &out)
            }
            out += "]"
        case let .object(pairs):
            // Python sorts str keys by code point, which is UTF-8 byte order.
            let members = sortKeys ? pairs.sorted { codePointLess($0.0, $1.0) } : pairs
            out += "{"
            for (n, (key, item)) in members.enumerated() {
                if n > 0 { out += ", " }
                quote(key, to: &out)
                out += ": "
                write(item, sortKeys: sortKeys, to: &out)
            }
            out += "}"
        }
    }

    /// `ensure_ascii`: everything outside space…`~` is escaped, astral characters as surrogate pairs.
    static func quote(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value >= 0x20 && scalar.value <= 0x7E {
                    out.unicodeScalars.append(scalar)
                } else {
                    for unit in String(scalar).utf16 {
                        let hex = String(unit, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                }
            }
        }
        out += "\""
    }

    /// Python's `repr(float)`: the shortest round-trip digits (Swift's `description` has the same
    /// digits), laid out fixed when the decimal exponent is in -4..<16, else as `1e-05` / `1e+16`.
    static func floatRepr(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        let sign = d < 0 ? "-" : ""
        let text = abs(d).description
        let parts = text.split(separator: "e", maxSplits: 1)
        var exponent = parts.count > 1 ? Int(parts[1])! : 0
        let mantissa = parts[0]
        let point = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        var digits = Array(mantissa.filter { $0 != "." })
        // value = 0.<digits> × 10^decimalPoint
        var decimalPoint = point + exponent
        while digits.first == "0" { digits.removeFirst(); decimalPoint -= 1 }
        while digits.last == "0" { digits.removeLast() }
        let all = String(digits)
        if decimalPoint > 16 || decimalPoint < -3 {
            exponent = decimalPoint - 1
            let rest = digits.count > 1 ? "." + String(digits.dropFirst()) : ""
            let magnitude = String(abs(exponent))
            return sign + String(digits[0]) + rest + "e" + (exponent < 0 ? "-" : "+")
                + (magnitude.count < 2 ? "0" : "") + magnitude
        }
        if decimalPoint <= 0 { return sign + "0." + String(repeating: "0", count: -decimalPoint) + all }
        if decimalPoint >= digits.count { return sign + all + String(repeating: "0", count: decimalPoint - digits.count) + ".0" }
        return sign + String(digits[..<decimalPoint]) + "." + String(digits[decimalPoint...])
    }
}
