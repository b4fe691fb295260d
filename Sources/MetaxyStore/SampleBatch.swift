import MetaxyCore

/// Rows to write, read from JSONL, column by column: a million rows are a few arrays and one
/// buffer of data_version texts, not a million objects.
struct SampleBatch {
    private(set) var lines: [Int] = []
    private(set) var uids: [SampleUID] = []
    /// Each row's data_version as metaxy stores it (compact JSON, fields in spec order) within
    /// `text`; nil until computed from the upstreams.
    var versions: [Range<Int>?] = []
    var text: [UInt8] = []
    /// User columns per row, in the order given; empty for most rows.
    private(set) var columns: [[(String, JSONValue)]] = []

    var count: Int { uids.count }

    /// The user columns' names, in the order first given.
    var userColumns: [String] {
        columns.reduce(into: [String]()) { names, row in
            for (name, _) in row where !names.contains(name) { names.append(name) }
        }
    }

    /// Row `i`'s value of a user column (null when it has none).
    func value(_ i: Int, _ column: String) -> JSONValue {
        columns[i].first { $0.0 == column }?.1 ?? .null
    }

    /// A user column's first non-null value, which sets its type in a new table.
    func firstValue(of column: String) -> JSONValue? {
        columns.lazy.compactMap { $0.first { $0.0 == column }?.1 }.first { $0 != .null }
    }

    mutating func append(line: Int, uid: SampleUID, version: Range<Int>?, columns: [(String, JSONValue)]) {
        lines.append(line)
        uids.append(uid)
        versions.append(version)
        self.columns.append(columns)
    }

    /// Reads JSONL for a feature with `fields` (spec order); every problem names the input and
    /// the line. Lines of the usual shape are scanned straight from the bytes; any other input
    /// goes through the general JSON reader.
    static func read(_ bytes: [UInt8], source: String, feature: FeatureKey, fields: [String]) throws(StoreError) -> SampleBatch {
        if let batch = SampleLineScanner.scan(bytes, fields: fields) { return batch }
        return try readJSON(bytes, source: source, feature: feature, fields: fields)
    }

    /// Through the general JSON reader: any JSON, and the messages for every problem.
    static func readJSON(_ bytes: [UInt8], source: String, feature: FeatureKey, fields: [String]) throws(StoreError) -> SampleBatch {
        let lines: [(line: Int, value: JSONValue)]
        switch JSONValue.parseLines(bytes) {
        case let .success(parsed): lines = parsed
        case let .failure(error):
            throw StoreError(file: "\(source):\(error.line)", "not valid JSON (\(error.message)); write one object per line")
        }
        var batch = SampleBatch()
        for (lineNumber, value) in lines {
            func fail(_ message: String) -> StoreError { StoreError(file: "\(source):\(lineNumber)", message) }
            guard let members = value.members else {
                throw fail("not a JSON object; each line must be {\"sample_uid\": ..., \"data_version\": {...}, ...}")
            }
            let uid: SampleUID
            switch value["sample_uid"] {
            case let .int(i)?: uid = .int(Int64(i))
            case let .string(s)?: uid = .string(s)
            case nil: throw fail("has no sample_uid")
            default: throw fail("sample_uid must be an integer or a string")
            }
            var version: Range<Int>?
            if let dv = value["data_version"], !dv.isNull {
                guard let given = dv.members else { throw fail("data_version must be an object {field: \"version\"}") }
                for (name, v) in given {
                    guard case .string = v else { throw fail("data_version.\(name) must be a string") }
                }
                guard given.count == fields.count, fields.allSatisfy({ f in given.contains { $0.0 == f } }) else {
                    throw fail("data_version must have exactly the fields of \(feature): "
                        + fields.joined(separator: ", ") + "; it has " + given.map(\.0).sorted().joined(separator: ", "))
                }
                // Compact, in spec order, as metaxy stores the struct.
                let start = batch.text.count
                let compact = JSONValue.object(fields.map { f in (f, given.first { $0.0 == f }!.1) }).compact()
                batch.text.append(contentsOf: compact.utf8)
                version = start..<batch.text.count
            }
            var columns: [(String, JSONValue)] = []
            for (name, v) in members where name != "sample_uid" && name != "data_version" {
                guard !systemColumns.contains(name) else { throw fail("\(name) is a system column, set by the store; remove it") }
                columns.append((name, v))
            }
            batch.append(line: lineNumber, uid: uid, version: version, columns: columns)
        }
        return batch
    }
}
