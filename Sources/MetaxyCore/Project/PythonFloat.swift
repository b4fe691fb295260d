/// Python's `repr(float)`, as `json.dumps` writes floats.
enum PythonFloat {
    /// Python's `repr(float)`: the shortest round-trip digits (Swift's `description` has the same
    /// digits), laid out fixed when the decimal exponent is in -4..<16, else as `1e-05` / `1e+16`.
    static func repr(_ d: Double) -> String {
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
