/// `1 row`, `0 rows`, `2 rows`: a count and its noun, singular for exactly one. `plural` is for
/// nouns that do not just take an s (`1 match`, `2 matches`).
public func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}
