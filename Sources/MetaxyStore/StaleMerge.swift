import MetaxyCore

/// A feature's stale set from sorted row lists: the upstreams' latest rows are merge-joined on
/// sample_uid (an inner join), each joined sample's data version is hashed into a reused buffer,
/// and the result is merged against the stored rows. Linear in the rows; the loop over millions
/// of samples reads flat bytes through pointers, so it allocates and retains nothing per sample.
struct StaleMerge: Sendable {
    let algorithm: HashAlgorithm
    /// Every byte string the hashing needs, referred to by range.
    private var pool: [UInt8] = []
    /// Per field in spec order: `"field":`, the hash input's head `field|code_version`, its inputs.
    private var fields: [(name: Range<Int>, head: Range<Int>, inputs: Range<Int>)] = []
    /// Per field in spec order: its name as JSON text holds it unescaped.
    private var keys: [Range<Int>] = []
    /// Per input: the upstream list, the upstream field's name, the `U/g` label.
    private var inputs: [(upstream: Int, key: Range<Int>, label: Range<Int>)] = []

    init(recipe: DataVersionRecipe, algorithm: HashAlgorithm) {
        self.algorithm = algorithm
        func add(_ text: String) -> Range<Int> {
            let start = pool.count
            pool.append(contentsOf: text.utf8)
            return start..<pool.count
        }
        for field in recipe.fields {
            let name = add(JSONValue.quoted(field.key.string) + ":"), head = add(field.key.string + "|" + String(field.codeVersion))
            let first = inputs.count
            for input in field.inputs {
                inputs.append((recipe.upstreams.firstIndex(of: input.upstream)!, add(input.field.string), add(input.label)))
            }
            fields.append((name, head, first..<inputs.count))
            keys.append(add(field.key.string))
        }
    }

    /// The sample's data version as metaxy stores it, appended to `out`: compact JSON with the
    /// fields in spec order (reference §5.3) for the sample at `positions` in each upstream list.
    /// A field whose upstream value is missing gets `missing` as its JSON value.
    func appendDataVersion(_ upstream: [RowsView], positions: [Int], missing: StaticString, input: inout [UInt8],
                           to out: inout [UInt8]) {
        // Through pointers: indexing the arrays of tuples retained them, twice per field and sample.
        pool.withUnsafeBufferPointer { pool in
            fields.withUnsafeBufferPointer { fields in
                inputs.withUnsafeBufferPointer { inputs in
                    out.append(UInt8(ascii: "{"))
                    for k in fields.indices {
                        if k > 0 { out.append(UInt8(ascii: ",")) }
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: pool[fields[k].name]))
                        if hashInput(fields[k], pool, inputs, upstream, positions, &input) {
                            // Digests are decimal or hex: nothing to escape.
                            out.append(UInt8(ascii: "\""))
                            input.withUnsafeBytes { algorithm.appendDigest(of: $0, to: &out) }
                            out.append(UInt8(ascii: "\""))
                        } else {
                            out.append(contentsOf: UnsafeBufferPointer(start: missing.utf8Start, count: missing.utf8CodeUnitCount))
                        }
                    }
                    out.append(UInt8(ascii: "}"))
                }
            }
        }
    }

    /// Builds a field's hash input in `input`; false when an upstream value is missing.
    private func hashInput(_ field: (name: Range<Int>, head: Range<Int>, inputs: Range<Int>), _ pool: UnsafeBufferPointer<UInt8>,
                           _ inputs: UnsafeBufferPointer<(upstream: Int, key: Range<Int>, label: Range<Int>)>,
                           _ upstream: [RowsView], _ positions: [Int], _ input: inout [UInt8]) -> Bool {
        input.removeAll(keepingCapacity: true)
        input.append(contentsOf: UnsafeBufferPointer(rebasing: pool[field.head]))
        for i in field.inputs {
            let item = inputs[i]
            input.append(UInt8(ascii: "|"))
            input.append(contentsOf: UnsafeBufferPointer(rebasing: pool[item.label]))
            input.append(UInt8(ascii: "|"))
            let text = upstream[item.upstream].text(positions[item.upstream])
            let key = UnsafeBufferPointer(rebasing: pool[item.key])
            if let value = FlatJSON.value(of: key, in: text) {
                input.append(contentsOf: value)
            } else if let value = slowValue(text, key) {
                input.append(contentsOf: value)
            } else {
                return false
            }
        }
        return true
    }

    typealias Diff = (added: [SampleUID], changed: [SampleUID], removed: [SampleUID])

    /// The stale set of `lists` (each upstream's rows, then the stored rows), which it lets go of
    /// once merged: at ten million samples the rows are 1.4 GB, and the pieces are joined after.
    /// With `keep`, also what the stale-set cache keeps to classify the samples again later.
    func diff(_ lists: inout [SortedRows], keep: Bool = false) -> (Diff, Fingerprints?) {
        var pieces = diffPieces(lists, keep: keep)
        lists = []
        let sets: Diff = (pieces.flatMap { $0.diff.added }, pieces.flatMap { $0.diff.changed }, pieces.flatMap { $0.diff.removed })
        guard keep else { return (sets, nil) }
        // Each piece let go of as it is added: ten million fingerprints are not held twice.
        var kept = Fingerprints()
        for p in pieces.indices {
            let piece = pieces[p].kept
            pieces[p].kept = Fingerprints()
            if p == 0 { kept = piece } else { kept.append(piece) }
        }
        // Every sample stored and targeted, the usual case: one column of samples serves both.
        if kept.stored.ints.keys == kept.targets.ints.keys { kept.stored.ints.keys = kept.targets.ints.keys }
        return (sets, kept)
    }

    /// The stale set computed on every core: the samples are cut into ranges of sample_uid at
    /// the first upstream's quantiles, and each range is merged on its own.
    private func diffPieces(_ lists: [SortedRows], keep: Bool) -> [(diff: Diff, kept: Fingerprints)] {
        let parts = lists.count > 1 && lists[0].count >= 20_000 ? Parallel.cores : 1
        let pivots = (1..<parts).map { lists[0].uid($0 * lists[0].count / parts) }
        let bounds = lists.map { list in [0] + pivots.map { list.lowerBound($0) } + [list.count] }
        return Parallel.map(0..<parts) { p in
            SortedRows.withViews(lists) { views in
                diff(Array(views.dropLast()), views.last!, from: bounds.map { $0[p] }, to: bounds.map { $0[p + 1] }, keep: keep)
            }
        }
    }

    /// The stale set of the samples between positions `from` and `to` of each upstream list and
    /// of `current` (the last bound).
    private func diff(_ upstream: [RowsView], _ current: RowsView, from: [Int], to: [Int], keep: Bool) -> (diff: Diff, kept: Fingerprints) {
        var added: [SampleUID] = [], changed: [SampleUID] = [], removed: [SampleUID] = []
        var kept = Fingerprints()
        if keep {
            // At most one target per sample of the first upstream, one stored row per current one.
            kept.targets.ints.keys.reserveCapacity(to[0] - from[0])
            kept.targets.ints.prints.reserveCapacity(to[0] - from[0])
            kept.stored.ints.prints.reserveCapacity(to.last! - from.last!)
        }
        // While every target has its stored row and no stored row is without one (a store up to
        // date or changed, the usual case), the stored integer keys are the targets': they are
        // taken from them at the end, or when the two first part, and not held twice meanwhile.
        var sharedKeys = true
        func part() {
            guard sharedKeys else { return }
            var keys = Array(kept.targets.ints.keys.prefix(kept.stored.ints.prints.count))
            keys.reserveCapacity(to.last! - from.last!)
            kept.stored.ints.keys = Slab(keys)
            sharedKeys = false
        }
        func keepStored(_ uid: SampleUID, _ print: UInt64, matched: Bool) {
            if !matched { part() }
            if sharedKeys, case .int = uid { kept.stored.ints.prints.append(print) } else { kept.stored.append(uid, print) }
        }
        var positions = Array(from.dropLast())
        let ends = Array(to.dropLast())
        var c = from.last!
        let currentEnd = to.last!
        var input: [UInt8] = [], target: [UInt8] = []
        func keepRemoved(_ c: Int, matched: Bool = false) {
            guard keep else { return }
            let stored = current.text(c)
            keepStored(current.uid(c), fingerprint(UnsafeRawBufferPointer(stored)), matched: matched)
            if !isCanonical(stored) { kept.loose.append(current.uid(c)) }
        }
        while let uid = nextJoined(upstream, &positions, ends) {
            while c < currentEnd && current.uid(c) < uid { removed.append(current.uid(c)); keepRemoved(c); c += 1 }
            let isStored = c < currentEnd && current.uid(c) == uid
            // A sample without a stored row is added whatever its data version: it is hashed
            // only for the cache (a first status of a feature hashes nothing).
            if isStored || keep {
                target.removeAll(keepingCapacity: true)
                appendDataVersion(upstream, positions: positions, missing: "null", input: &input, to: &target)
            }
            let targetPrint = keep ? target.withUnsafeBytes(fingerprint) : 0
            if keep { kept.targets.append(uid, targetPrint) }
            if isStored {
                let stored = current.text(c)
                if stored.elementsEqual(target) {
                    if keep { keepStored(uid, targetPrint, matched: true) }
                } else if sameFields(stored, target) {
                    // Equal as structs: kept as the target's, so a later target compares as metaxy would.
                    if keep { keepStored(uid, targetPrint, matched: true); kept.loose.append(uid) }
                } else {
                    changed.append(uid)
                    keepRemoved(c, matched: true)
                }
                c += 1
            } else {
                added.append(uid)
                if keep { part() }
            }
            for i in positions.indices { positions[i] += 1 }
        }
        while c < currentEnd { removed.append(current.uid(c)); keepRemoved(c); c += 1 }
        if keep && sharedKeys { kept.stored.ints.keys = kept.targets.ints.keys }
        return ((added, changed, removed), kept)
    }

    /// Whether a stored data version is written as this recipe writes one (compact JSON, the
    /// fields in spec order, plain string values): then equal structs are equal bytes.
    func isCanonical(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        pool.withUnsafeBufferPointer { pool in
            var i = 0
            func expect(_ byte: UInt8) -> Bool {
                guard i < text.count, text[i] == byte else { return false }
                i += 1
                return true
            }
            guard expect(UInt8(ascii: "{")) else { return false }
            for (k, field) in fields.enumerated() {
                if k > 0 && !expect(UInt8(ascii: ",")) { return false }
                for byte in pool[field.name] where !expect(byte) { return false }
                guard expect(UInt8(ascii: "\"")) else { return false }
                while i < text.count && text[i] != UInt8(ascii: "\"") && text[i] != UInt8(ascii: "\\") { i += 1 }
                guard expect(UInt8(ascii: "\"")) else { return false }
            }
            return expect(UInt8(ascii: "}")) && i == text.count
        }
    }

    /// Moves every list to the next sample_uid they all hold before its end; nil when one list
    /// is exhausted.
    private func nextJoined(_ lists: [RowsView], _ positions: inout [Int], _ ends: [Int]) -> SampleUID? {
        guard !lists.isEmpty else { return nil }
        while true {
            guard positions[0] < ends[0] else { return nil }
            var candidate = lists[0].uid(positions[0])
            var aligned = true
            for i in lists.indices {
                while positions[i] < ends[i] && lists[i].uid(positions[i]) < candidate { positions[i] += 1 }
                guard positions[i] < ends[i] else { return nil }
                if lists[i].uid(positions[i]) != candidate {
                    candidate = lists[i].uid(positions[i])
                    aligned = false
                }
            }
            if aligned { return candidate }
            // Re-align everyone to the larger candidate on the next pass.
            for i in lists.indices { while positions[i] < ends[i] && lists[i].uid(positions[i]) < candidate { positions[i] += 1 } }
        }
    }

    /// A value with escapes, through the general JSON parser.
    private func slowValue(_ text: UnsafeBufferPointer<UInt8>, _ key: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        JSONValue.parseStringObject(String(decoding: text, as: UTF8.self))?[String(decoding: key, as: UTF8.self)].map { Array($0.utf8) }
    }

    /// Struct equality when the texts differ only in spacing or field order (PostgreSQL's jsonb
    /// keeps its own order): field by field in place when both are flat, else parsed.
    func sameFields(_ stored: UnsafeBufferPointer<UInt8>, _ target: [UInt8]) -> Bool {
        let flat: Bool? = target.withUnsafeBufferPointer { target in
            pool.withUnsafeBufferPointer { pool in
                guard let count = FlatJSON.memberCount(stored) else { return nil }
                guard count == keys.count else { return false }
                for key in keys {
                    let name = UnsafeBufferPointer(rebasing: pool[key])
                    guard let a = FlatJSON.value(of: name, in: stored), let b = FlatJSON.value(of: name, in: target) else { return nil }
                    if !a.elementsEqual(b) { return false }
                }
                return true
            }
        }
        if let flat { return flat }
        let a = JSONValue.parse(Array(stored)), b = JSONValue.parse(target)
        guard let a = a?.members, let b = b?.members, a.count == b.count else { return false }
        return Dictionary(a, uniquingKeysWith: { x, _ in x }) == Dictionary(b, uniquingKeysWith: { x, _ in x })
    }
}
