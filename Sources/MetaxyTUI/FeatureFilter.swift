import MetaxyCore

/// The `/` filter: space-separated terms that must all occur in a feature's key or one of its
/// field keys; a term with an uppercase letter matches case-sensitively (smart case).
struct FeatureFilter: Equatable, Sendable {
    let terms: [(text: String, exact: Bool)]

    init(_ query: String) {
        terms = query.split(separator: " ").map { term in
            let text = String(term)
            let exact = text.contains(where: \.isUppercase)
            return (exact ? text : text.lowercased(), exact)
        }
    }

    var isEmpty: Bool { terms.isEmpty }

    static func == (a: Self, b: Self) -> Bool { a.terms.map(\.text) == b.terms.map(\.text) }

    func matches(_ spec: FeatureSpec) -> Bool {
        let key = spec.key.string
        let lowered = key.lowercased()
        return terms.allSatisfy { term in
            (term.exact ? key : lowered).contains(term.text)
                || spec.fields.contains { (term.exact ? $0.key.string : $0.key.string.lowercased()).contains(term.text) }
        }
    }

    /// Column ranges of `text` matched by some term, for highlighting.
    func highlights(in text: String) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        let chars = Array(text), lowered = Array(text.lowercased())
        for term in terms where !term.text.isEmpty {
            let needle = Array(term.text), hay = term.exact ? chars : lowered
            guard hay.count == chars.count, needle.count <= hay.count else { continue }
            var i = 0
            while i + needle.count <= hay.count {
                if Array(hay[i..<i + needle.count]) == needle {
                    ranges.append(i..<i + needle.count)
                    i += needle.count
                } else {
                    i += 1
                }
            }
        }
        return ranges
    }
}
