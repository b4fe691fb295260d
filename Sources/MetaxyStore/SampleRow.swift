import MetaxyCore

/// One row to write, read from a JSONL line: sample_uid, data_version when given, user columns.
struct SampleRow {
    let line: Int
    let uid: SampleUID
    var dataVersion: [(String, String)]?
    let columns: [(String, JSONValue)]

    /// Reads JSONL; every problem names the input and the line.
    static func read(_ bytes: [UInt8], source: String) throws(StoreError) -> [SampleRow] {
        let lines: [(line: Int, value: JSONValue)]
        switch JSONValue.parseLines(bytes) {
        case let .success(parsed): lines = parsed
        case let .failure(error):
            throw StoreError(file: "\(source):\(error.line)", "not valid JSON (\(error.message)); write one object per line")
        }
        var rows: [SampleRow] = []
        rows.reserveCapacity(lines.count)
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
            var dataVersion: [(String, String)]?
            if let dv = value["data_version"], !dv.isNull {
                guard let fields = dv.members else { throw fail("data_version must be an object {field: \"version\"}") }
                dataVersion = try fields.map { (name, v) throws(StoreError) in
                    guard case let .string(s) = v else { throw fail("data_version.\(name) must be a string") }
                    return (name, s)
                }
            }
            var columns: [(String, JSONValue)] = []
            for (name, v) in members where name != "sample_uid" && name != "data_version" {
                guard !systemColumns.contains(name) else { throw fail("\(name) is a system column, set by the store; remove it") }
                columns.append((name, v))
            }
            rows.append(SampleRow(line: lineNumber, uid: uid, dataVersion: dataVersion, columns: columns))
        }
        return rows
    }
}
