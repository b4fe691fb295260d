import MetaxyCore

/// A feature's stale set from sorted row lists: the upstreams' latest rows are merge-joined on
/// sample_uid (an inner join), each joined sample's data version is hashed into a reused buffer,
/// and the result is merged against the stored rows. Linear in the rows, with nothing allocated
/// per row but the digest.
struct StaleMerge: Sendable {
    let recipe: DataVersionRecipe
    let algorithm: HashAlgorithm

    struct Input {
        let upstream: Int
        let key: [UInt8]
        let label: [UInt8]
    }

    /// Per field, its inputs as (upstream list index, field name bytes, `U/g` label bytes).
    var inputs: [[Input]] {
        recipe.fields.map { field in
            field.inputs.map { Input(upstream: recipe.upstreams.firstIndex(of: $0.upstream)!, key: Array($0.field.string.utf8),
                                     label: Array($0.label.utf8)) }
        }
    }

    var heads: [[UInt8]] { recipe.fields.map { Array(($0.key.string + "|" + String($0.codeVersion)).utf8) } }

    /// The sample's data version as metaxy stores it, appended to `out`: compact JSON with the
    /// fields in spec order (reference §5.3) for the sample at `positions` in each upstream list.
    /// A field whose upstream value is missing gets `missing` as its JSON value.
    func appendDataVersion(_ names: [[UInt8]], inputs: [[Input]], heads: [[UInt8]], upstream: [SortedRows],
                           positions: [Int], missing: [UInt8], input: inout [UInt8], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for k in inputs.indices {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: names[k])
            if hashInput(k, inputs: inputs, heads: heads, upstream: upstream, positions: positions, input: &input) {
                // Digests are decimal or hex: nothing to escape.
                out.append(UInt8(ascii: "\""))
                input.withUnsafeBytes { algorithm.appendDigest(of: $0, to: &out) }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: missing)
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// `"field":` per field, as the data version JSON begins each member.
    var names: [[UInt8]] { recipe.fields.map { Array((JSONValue.quoted($0.key.string) + ":").utf8) } }

    /// Builds field `k`'s hash input in `input`; false when an upstream value is missing.
    private func hashInput(_ k: Int, inputs: [[Input]], heads: [[UInt8]], upstream: [SortedRows], positions: [Int],
                           input: inout [UInt8]) -> Bool {
        input.removeAll(keepingCapacity: true)
        input.append(contentsOf: heads[k])
        for item in inputs[k] {
            input.append(UInt8(ascii: "|"))
            input.append(contentsOf: item.label)
            input.append(UInt8(ascii: "|"))
            let rows = upstream[item.upstream], row = positions[item.upstream]
            let found = rows.withBytes { all in
                if let value = FlatJSON.value(of: item.key, in: rows.text(row, in: all)) {
                    input.append(contentsOf: value)
                    return true
                }
                guard let value = slowValue(all, rows, row, item.key) else { return false }
                input.append(contentsOf: value)
                return true
            }
            guard found else { return false }
        }
        return true
    }

    typealias Diff = (added: [SampleUID], changed: [SampleUID], removed: [SampleUID])

    /// The stale set, computed on every core: the samples are cut into ranges of sample_uid
    /// at the first upstream's quantiles, and each range is merged on its own.
    func diff(upstream: [SortedRows], current: SortedRows) -> Diff {
        let lists = upstream + [current]
        let parts = upstream.first.map { $0.count >= 20_000 ? Parallel.cores : 1 } ?? 1
        let pivots = (1..<parts).map { upstream[0].uids[$0 * upstream[0].count / parts] }
        let bounds = lists.map { list in [0] + pivots.map { list.lowerBound($0) } + [list.count] }
        let pieces = Parallel.map(0..<parts) { p in
            diff(upstream: upstream, current: current, from: bounds.map { $0[p] }, to: bounds.map { $0[p + 1] })
        }
        return (pieces.flatMap(\.added), pieces.flatMap(\.changed), pieces.flatMap(\.removed))
    }

    /// The stale set of the samples between positions `from` and `to` of each upstream list and
    /// of `current` (the last bound).
    private func diff(upstream: [SortedRows], current: SortedRows, from: [Int], to: [Int]) -> Diff {
        let inputs = self.inputs, heads = self.heads, names = self.names
        var added: [SampleUID] = [], changed: [SampleUID] = [], removed: [SampleUID] = []
        var positions = Array(from.dropLast()), ends = Array(to.dropLast())
        var c = from.last!
        let currentEnd = to.last!
        var input: [UInt8] = [], target: [UInt8] = []
        let null = Array("null".utf8)
        current.withBytes { currentBytes in
            while true {
                guard let uid = nextJoined(upstream, &positions, ends) else { break }
                while c < currentEnd && current.uids[c] < uid { removed.append(current.uids[c]); c += 1 }
                target.removeAll(keepingCapacity: true)
                appendDataVersion(names, inputs: inputs, heads: heads, upstream: upstream, positions: positions,
                                  missing: null, input: &input, to: &target)
                if c < currentEnd && current.uids[c] == uid {
                    let stored = current.text(c, in: currentBytes)
                    if !stored.elementsEqual(target) && !sameFields(stored, target) { changed.append(uid) }
                    c += 1
                } else {
                    added.append(uid)
                }
                for i in positions.indices { positions[i] += 1 }
            }
        }
        while c < currentEnd { removed.append(current.uids[c]); c += 1 }
        return (added, changed, removed)
    }

    /// Moves every list to the next sample_uid they all hold before its end; nil when one list
    /// is exhausted.
    private func nextJoined(_ lists: [SortedRows], _ positions: inout [Int], _ ends: [Int]) -> SampleUID? {
        guard !lists.isEmpty else { return nil }
        while true {
            guard positions[0] < ends[0] else { return nil }
            var candidate = lists[0].uids[positions[0]]
            var aligned = true
            for i in lists.indices {
                while positions[i] < ends[i] && lists[i].uids[positions[i]] < candidate { positions[i] += 1 }
                guard positions[i] < ends[i] else { return nil }
                if lists[i].uids[positions[i]] != candidate {
                    candidate = lists[i].uids[positions[i]]
                    aligned = false
                }
            }
            if aligned { return candidate }
            // Re-align everyone to the larger candidate on the next pass.
            for i in lists.indices { while positions[i] < ends[i] && lists[i].uids[positions[i]] < candidate { positions[i] += 1 } }
        }
    }

    /// A value with escapes, through the general JSON parser.
    private func slowValue(_ all: UnsafeBufferPointer<UInt8>, _ rows: SortedRows, _ row: Int, _ key: [UInt8]) -> [UInt8]? {
        let text = String(decoding: rows.text(row, in: all), as: UTF8.self)
        return JSONValue.parseStringObject(text)?[String(decoding: key, as: UTF8.self)].map { Array($0.utf8) }
    }

    /// Struct equality when the texts differ only in spacing or field order.
    private func sameFields(_ stored: UnsafeBufferPointer<UInt8>, _ target: [UInt8]) -> Bool {
        let a = JSONValue.parse(Array(stored)), b = JSONValue.parse(target)
        guard let a = a?.members, let b = b?.members, a.count == b.count else { return false }
        return Dictionary(a, uniquingKeysWith: { x, _ in x }) == Dictionary(b, uniquingKeysWith: { x, _ in x })
    }
}
