/// An upstream's rows column by column, as a store reads a million of them: no dictionary per row.
public struct UpstreamRows: Sendable {
    public let idColumns: [String]
    public let slots: [String]
    /// Row n's ids (in `idColumns` order) and values (in `slots` order).
    public private(set) var ids: [IDValue] = []
    public private(set) var values: [String] = []
    public private(set) var count = 0

    public init(idColumns: [String], slots: [String], capacity: Int = 0) {
        self.idColumns = idColumns
        self.slots = slots
        ids.reserveCapacity(capacity * idColumns.count)
        values.reserveCapacity(capacity * slots.count)
    }

    public mutating func append(ids rowIDs: some Sequence<IDValue>, values rowValues: some Sequence<String>) {
        ids += rowIDs
        values += rowValues
        count += 1
    }

    func id(_ row: Int, _ column: Int) -> IDValue { ids[row * idColumns.count + column] }
    func value(_ row: Int, _ slot: Int) -> String { values[row * slots.count + slot] }
}

/// What a feature's row should hold for one id.
public struct ExpectedRow: Sendable, Equatable {
    /// In the engine's `idColumns` order.
    public let ids: [IDValue]
    /// Struct key → field hash.
    public let provenanceByField: [String: String]
    public let provenance: String

    public init(ids: [IDValue], provenanceByField: [String: String], provenance: String) {
        self.ids = ids
        self.provenanceByField = provenanceByField
        self.provenance = provenance
    }
}

public struct FieldInput: Sendable, Equatable {
    /// The parent field as `feature/key.field/key`.
    public let parent: String
    /// The upstream value hashed: its data version, "" for a missing optional row, or for N:1 the
    /// hash of the group's values.
    public let value: String
    /// N:1 only: the group's data versions joined by `|`, the text `value` is the hash of.
    public let aggregated: String?
}

/// How one field hash of one row comes about, for an explain screen.
public struct FieldRecipe: Sendable, Equatable {
    public let field: String
    public let codeVersion: String
    /// Sorted by parent FQ string, as hashed.
    public let inputs: [FieldInput]
    /// The exact hashed text: `field|code_version|parent|value|…`.
    public let string: String
    public let hash: String
}
