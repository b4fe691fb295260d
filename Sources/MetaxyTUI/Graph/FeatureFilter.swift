import Foundation
import MetaxyCore

/// The `/` filter: space-separated terms that must all occur in a feature's key or one of its
/// field keys; a term with an uppercase letter matches case-sensitively (smart case).
struct FeatureFilter: Sendable {
    private let terms: [(bytes: [UInt8], exact: Bool)]
    private let lowercasedTerms: [String]

    init(_ query: String) {
        let words = query.split(separator: " ").map(String.init)
        terms = words.map { word in
            let exact = word.contains(where: \.isUppercase)
            return (Array((exact ? word : word.lowercased()).utf8), exact)
        }
        lowercasedTerms = words.map { $0.lowercased() }
    }

    var isEmpty: Bool { terms.isEmpty }

    /// Whether feature `f` matches, searching the text the index prepared once per graph.
    func matches(_ f: Int, in index: SearchIndex) -> Bool {
        terms.allSatisfy { term in index.contains(f, term.bytes, exact: term.exact) }
    }

    /// Column ranges of `text` matched by some term, for highlighting.
    func highlights(in text: String) -> [Range<Int>] {
        let chars = Array(text), lowered = Array(text.lowercased())
        guard chars.count == lowered.count else { return [] }
        var ranges: [Range<Int>] = []
        for (term, exact) in zip(lowercasedTerms, terms.map(\.exact)) {
            let needle = Array(exact ? term : term.lowercased())
            let hay = exact ? chars : lowered
            guard !needle.isEmpty, needle.count <= hay.count else { continue }
            var i = 0
            while i + needle.count <= hay.count {
                if hay[i..<i + needle.count].elementsEqual(needle) {
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

/// Each feature's key and field keys as bytes, as typed and lowercased, joined by NUL (which no
/// term contains, so a match never spans two keys). Built once per graph so filtering as the
/// user types is a byte scan, not string work.
final class SearchIndex: Sendable {
    private let text: [UInt8], textStarts: [Int]
    private let lowered: [UInt8], loweredStarts: [Int]

    init(graph: FeatureGraph) {
        var text: [UInt8] = [], textStarts = [0]
        for spec in graph.specs {
            text.append(contentsOf: spec.key.string.utf8)
            for field in spec.fields {
                text.append(0)
                text.append(contentsOf: field.key.string.utf8)
            }
            textStarts.append(text.count)
        }
        self.text = text
        self.textStarts = textStarts
        if !text.contains(where: { $0 >= 0x80 }) {
            lowered = text.map { (65...90).contains($0) ? $0 + 32 : $0 }
            loweredStarts = textStarts
            return
        }
        // Other scripts lowercase through String, and may change length: offsets of their own.
        var lowered: [UInt8] = [], loweredStarts = [0]
        for f in 0..<graph.count {
            lowered.append(contentsOf: String(decoding: text[textStarts[f]..<textStarts[f + 1]], as: UTF8.self).lowercased().utf8)
            loweredStarts.append(lowered.count)
        }
        self.lowered = lowered
        self.loweredStarts = loweredStarts
    }

    func contains(_ f: Int, _ needle: [UInt8], exact: Bool) -> Bool {
        guard !needle.isEmpty else { return true }
        let (hay, starts) = exact ? (text, textStarts) : (lowered, loweredStarts)
        let lower = starts[f], upper = starts[f + 1]
        guard upper - lower >= needle.count else { return false }
        return hay.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                var i = lower
                while i <= upper - n.count {
                    if h[i] == n[0], memcmp(h.baseAddress! + i, n.baseAddress!, n.count) == 0 { return true }
                    i += 1
                }
                return false
            }
        }
    }
}
