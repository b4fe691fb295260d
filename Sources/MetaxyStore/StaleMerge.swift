import MetaxyCore

/// A feature's stale set from sorted row lists: the upstreams' latest rows are merge-joined on
/// sample_uid (an inner join), each joined sample's data version is hashed into a reused buffer,
/// and the result is merged against the stored rows. Linear in the rows, with nothing allocated
/// per row but the digest.
struct StaleMerge {
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

    /// Field `k`'s data version for the sample at `positions` in each upstream list (reference §5.3),
    /// built in `input`; nil when an upstream value is missing.
    func digest(_ k: Int, inputs: [[Input]], heads: [[UInt8]], upstream: [SortedRows], positions: [Int],
                input: inout [UInt8]) -> String? {
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
            guard found else { return nil }
        }
        return input.withUnsafeBytes { algorithm.digest($0) }
    }

    func diff(upstream: [SortedRows], current: SortedRows) -> (added: [SampleUID], changed: [SampleUID], removed: [SampleUID]) {
        let inputs = self.inputs, heads = self.heads
        let fieldNames = recipe.fields.map { JSONValue.quoted($0.key.string) }
        var added: [SampleUID] = [], changed: [SampleUID] = [], removed: [SampleUID] = []
        var positions = [Int](repeating: 0, count: upstream.count)
        var c = 0
        var input: [UInt8] = [], target: [UInt8] = []
        current.withBytes { currentBytes in
            while true {
                guard let uid = nextJoined(upstream, &positions) else { break }
                while c < current.count && current.uids[c] < uid { removed.append(current.uids[c]); c += 1 }
                // The sample's data version as metaxy stores it: compact JSON, fields in spec order.
                target.removeAll(keepingCapacity: true)
                target.append(UInt8(ascii: "{"))
                for k in inputs.indices {
                    if k > 0 { target.append(UInt8(ascii: ",")) }
                    target.append(contentsOf: fieldNames[k].utf8)
                    target.append(UInt8(ascii: ":"))
                    if let digest = digest(k, inputs: inputs, heads: heads, upstream: upstream, positions: positions, input: &input) {
                        // Digests are decimal or hex: nothing to escape.
                        target.append(UInt8(ascii: "\""))
                        target.append(contentsOf: digest.utf8)
                        target.append(UInt8(ascii: "\""))
                    } else {
                        target.append(contentsOf: "null".utf8)
                    }
                }
                target.append(UInt8(ascii: "}"))
                if c < current.count && current.uids[c] == uid {
                    let stored = current.text(c, in: currentBytes)
                    if !stored.elementsEqual(target) && !sameFields(stored, target) { changed.append(uid) }
                    c += 1
                } else {
                    added.append(uid)
                }
                for i in positions.indices { positions[i] += 1 }
            }
        }
        while c < current.count { removed.append(current.uids[c]); c += 1 }
        return (added, changed, removed)
    }

    /// Moves every list to the next sample_uid they all hold; nil when one list is exhausted.
    private func nextJoined(_ lists: [SortedRows], _ positions: inout [Int]) -> SampleUID? {
        guard !lists.isEmpty else { return nil }
        while true {
            guard positions[0] < lists[0].count else { return nil }
            var candidate = lists[0].uids[positions[0]]
            var aligned = true
            for i in lists.indices {
                while positions[i] < lists[i].count && lists[i].uids[positions[i]] < candidate { positions[i] += 1 }
                guard positions[i] < lists[i].count else { return nil }
                if lists[i].uids[positions[i]] != candidate {
                    candidate = lists[i].uids[positions[i]]
                    aligned = false
                }
            }
            if aligned { return candidate }
            // Re-align everyone to the larger candidate on the next pass.
            for i in lists.indices { while positions[i] < lists[i].count && lists[i].uids[positions[i]] < candidate { positions[i] += 1 } }
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
