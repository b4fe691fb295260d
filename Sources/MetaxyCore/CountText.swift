/// `1 row`, `0 rows`, `2 rows`: a count and its noun, singular for exactly one. `plural` is for
/// nouns that do not just take an s (`1 match`, `2 matches`).
public func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}

/// The first `limit` items joined by `separator`, then `more` of how many were left out: a list
/// cut short says so (`a, b, c, and 17 more`).
public func listed(_ items: [String], limit: Int, separator: String = ", ",
                   more: (Int) -> String = { "and \($0) more" }) -> String {
    guard items.count > limit else { return items.joined(separator: separator) }
    return (items.prefix(limit) + [more(items.count - limit)]).joined(separator: separator)
}

extension Int {
    /// `1,126,000`: thousands grouped with commas whatever the locale, so screens, screenshots
    /// and progress lines read the same everywhere.
    public var grouped: String {
        let digits = String(magnitude)
        var out = self < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
