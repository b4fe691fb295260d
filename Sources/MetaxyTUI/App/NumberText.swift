extension Int {
    /// `1,126,000`: thousands grouped with commas whatever the locale, so screens and
    /// screenshots read the same everywhere.
    var grouped: String {
        let digits = String(magnitude)
        var out = self < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
