/// A stored row's ids (in the engine's `idColumns` order) and metaxy_provenance. For a 1:N
/// feature pass one row per parent (its children carry the parent's provenance).
public struct StoredProvenance: Sendable {
    public var ids: [IDValue]
    public var provenance: String

    public init(ids: [IDValue], provenance: String) {
        self.ids = ids
        self.provenance = provenance
    }
}

/// metaxy's `resolve_update` result. new: expected ids not stored; stale: stored with another
/// metaxy_provenance (the expected row; a changed data version alone is not stale); orphaned:
/// stored ids not expected (the stored row). Each sorted by ids.
public struct Increment: Sendable {
    public let new: [ExpectedRow]
    public let stale: [ExpectedRow]
    public let orphaned: [StoredProvenance]

    public init(expected: [ExpectedRow], stored: [StoredProvenance]) {
        // Keyed on the bare value when there is one id column: hashing arrays costs twice as much.
        let single = expected.allSatisfy { $0.ids.count == 1 } && stored.allSatisfy { $0.ids.count == 1 }
        let (new, stale, found) = single
            ? Self.match(expected, stored) { $0[0] }
            : Self.match(expected, stored) { $0 }
        self.new = Self.sorted(new, by: \.ids)
        self.stale = Self.sorted(stale, by: \.ids)
        orphaned = Self.sorted(stored.indices.filter { !found[$0] }.map { stored[$0] }, by: \.ids)
    }

    private static func match<Key: Hashable>(_ expected: [ExpectedRow], _ stored: [StoredProvenance], key: ([IDValue]) -> Key)
        -> (new: [ExpectedRow], stale: [ExpectedRow], found: [Bool]) {
        var storedByIDs: [Key: Int] = [:]
        storedByIDs.reserveCapacity(stored.count)
        for (n, row) in stored.enumerated() { storedByIDs[key(row.ids)] = n }
        var found = [Bool](repeating: false, count: stored.count)
        var new: [ExpectedRow] = [], stale: [ExpectedRow] = []
        for row in expected {
            guard let n = storedByIDs[key(row.ids)] else { new.append(row); continue }
            found[n] = true
            if stored[n].provenance != row.provenance { stale.append(row) }
        }
        return (new, stale, found)
    }

    /// Single integer ids (the common case) sort on plain integers.
    private static func sorted<Row>(_ rows: [Row], by ids: (Row) -> [IDValue]) -> [Row] {
        let keys: [Int64] = rows.compactMap { row in
            if case let .int(i)? = ids(row).first, ids(row).count == 1 { i } else { nil }
        }
        guard keys.count == rows.count else { return rows.sorted { idsLess(ids($0), ids($1)) } }
        return rows.indices.sorted { keys[$0] < keys[$1] }.map { rows[$0] }
    }
}
