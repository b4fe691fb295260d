/// Stored rows a screen at a time, straight from SQLite by rowid (keyset paging: the first,
/// the next and the last page cost the same however many rows there are).
public struct SamplePage: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public let rowid: Int64
        public let uid: SampleUID
        /// Field key → data version, as stored.
        public let dataVersion: [(String, String)]
        public let featureVersion: String
        /// The user columns' values, as text, in the page's `columns` order.
        public let extra: [String]

        public init(rowid: Int64, uid: SampleUID, dataVersion: [(String, String)], featureVersion: String, extra: [String]) {
            self.rowid = rowid
            self.uid = uid
            self.dataVersion = dataVersion
            self.featureVersion = featureVersion
            self.extra = extra
        }

        public static func == (a: Row, b: Row) -> Bool { a.rowid == b.rowid && a.uid == b.uid }
    }

    public let rows: [Row]
    /// Names of the user columns, in table order.
    public let columns: [String]

    public init(rows: [Row], columns: [String]) {
        self.rows = rows
        self.columns = columns
    }
}
