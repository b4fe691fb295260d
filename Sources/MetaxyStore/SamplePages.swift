import MetaxyCore

extension MetaxyStore {
    /// A page of a feature's rows: the write order, sample_uid, data_version, feature_version, then
    /// the user columns; empty when the feature has no table yet.
    private func page(_ key: FeatureKey, _ request: RowRequest) throws(StoreError) -> SamplePage {
        if let page = try onProject({ try $0.page(key, request) }) { return page }
        guard try hasTable(key.tableName) else { return SamplePage(rows: [], columns: []) }
        let extra = try backend.columns(of: key.tableName).filter { !systemColumns.contains($0) }
        let rows = try backend.rows(key.tableName, columns: ["sample_uid", "data_version", "feature_version"] + extra, request)
        return SamplePage(rows: rows.map(Self.row), columns: extra)
    }

    /// Rows of a feature after `after` (or before `before`, counting back), in write order.
    public func samplePage(feature key: FeatureKey, after: Int64? = nil, before: Int64? = nil, limit: Int) throws(StoreError) -> SamplePage {
        try page(key, before.map { .before($0, limit: limit) } ?? .after(after ?? Int64.min, limit: limit))
    }

    /// Rows of a feature ordered by one of its columns (then write order), from `offset`. Sorting
    /// needs a scan of the table (stores are read-only here, so no index is added), fine for pages
    /// of a sorted view, not for scrolling a million rows.
    public func sortedSamplePage(feature key: FeatureKey, column: String, descending: Bool, offset: Int, limit: Int) throws(StoreError) -> SamplePage {
        if project == nil, try hasTable(key.tableName), try !backend.columns(of: key.tableName).contains(column) {
            throw StoreError(file: path, "\(key) has no column '\(column)'")
        }
        return try page(key, .sorted(column: column, descending: descending, offset: offset, limit: limit))
    }

    /// The last `limit` rows of a feature.
    public func lastSamplePage(feature key: FeatureKey, limit: Int) throws(StoreError) -> SamplePage {
        try samplePage(feature: key, before: Int64.max, limit: limit)
    }

    /// The rows of the given samples (their latest write each), in write order.
    public func sampleRows(feature key: FeatureKey, samples: [SampleUID]) throws(StoreError) -> SamplePage {
        guard !samples.isEmpty else { return SamplePage(rows: [], columns: []) }
        return try page(key, .latest(samples))
    }

    /// The write order of a sample's latest row, to jump to it.
    public func rowid(of sample: SampleUID, feature key: FeatureKey) throws(StoreError) -> Int64? {
        if let found = try onProject({ try $0.place(of: sample, key) }) { return found }
        return try backend.latestOrder(key.tableName, sample)
    }

    private static func row(_ values: [StoreValue]) -> SamplePage.Row {
        func text(_ v: StoreValue) -> String {
            switch v {
            case .null: "null"
            case .integer(let i): String(i)
            case .real(let d): String(d)
            case .text(let s): s
            }
        }
        let uid: SampleUID = values[1].integer.map(SampleUID.int) ?? .string(values[1].text ?? "")
        let dataVersion = values[2].text.flatMap { JSONValue.parseStringObject($0) }?.sorted { codePointLess($0.key, $1.key) }.map { ($0.key, $0.value) } ?? []
        return SamplePage.Row(rowid: values[0].integer ?? 0, uid: uid, dataVersion: dataVersion, featureVersion: values[3].text ?? "",
                              extra: values.dropFirst(4).map(text))
    }
}
