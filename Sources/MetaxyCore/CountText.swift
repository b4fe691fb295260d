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
