import MetaxyCore
@testable import MetaxyStore
import Testing

/// The fast JSONL scanner must read exactly what the general reader reads, and leave everything
/// else to it.
@Suite struct SampleBatchTests {
    let fields = ["audio", "frames"]

    func general(_ text: String) throws -> SampleBatch {
        try SampleBatch.readJSON(Array(text.utf8), source: "rows", feature: FeatureKey(string: "a/b"), fields: fields)
    }

    func rendered(_ batch: SampleBatch) -> [String] {
        (0..<batch.count).map { i in
            let version = batch.versions[i].map { String(decoding: batch.text[$0], as: UTF8.self) } ?? "nil"
            return "\(batch.lines[i]) \(batch.uids[i].jsonValue.compact()) \(version) "
                + JSONValue.object(batch.columns[i]).compact()
        }
    }

    @Test(arguments: [
        "{\"sample_uid\": 1, \"data_version\": {\"audio\": \"a1\", \"frames\": \"f1\"}}\n",
        "{\"sample_uid\":1,\"data_version\":{\"frames\":\"f1\",\"audio\":\"a1\"}}",
        "\n  \n{ \"data_version\" : { \"audio\" : \"x y\" , \"frames\" : \"\" } , \"sample_uid\" : \"clip-7\" } \r\n\n{\"sample_uid\": -42}\n",
        "{\"sample_uid\": 0, \"data_version\": null, \"path\": \"s3://b/0.mp4\", \"n\": 12, \"ok\": true, \"no\": false, \"gone\": null}\n",
        "{\"sample_uid\": 123456789012345678}\n{\"sample_uid\": 2, \"path\": \"p\"}\n",
        "",
    ])
    func theScannerReadsWhatTheGeneralReaderReads(_ text: String) throws {
        let scanned = try #require(SampleLineScanner.scan(Array(text.utf8), fields: fields))
        #expect(rendered(scanned) == rendered(try general(text)))
    }

    @Test(arguments: [
        "{\"sample_uid\": 1, \"path\": \"a\\\"b\"}",              // an escape
        "{\"sample_uid\": 1, \"path\": \"café\"}",                // non-ASCII
        "{\"sample_uid\": 1, \"score\": 0.5}",                    // a float
        "{\"sample_uid\": 1, \"tags\": [1]}",                     // nested
        "{\"sample_uid\": 1, \"sample_uid\": 2}",                 // a duplicate key
        "{\"sample_uid\": 1,\n \"path\": \"a\"}",                 // over two lines
        "{\"sample_uid\": 01}",                                   // a leading zero
        "{\"sample_uid\": 1234567890123456789}",                  // beyond 18 digits
        "{\"sample_uid\": -0}",
        "{\"path\": \"a\"}",                                      // no sample_uid
        "{\"sample_uid\": 1, \"data_version\": {\"audio\": \"a\"}}",  // a field missing
        "{\"sample_uid\": 1, \"data_version\": {\"audio\": \"a\", \"frames\": \"f\", \"x\": \"y\"}}",
        "{\"sample_uid\": 1, \"data_version\": {\"audio\": \"a\", \"audio\": \"f\"}}",
        "{\"sample_uid\": 1, \"feature_version\": \"v\"}",        // a system column
        "{\"sample_uid\": 1} {\"sample_uid\": 2}",                // two values on a line
        "{\"sample_uid\": 1, \"n\": 12x}",
        "{\"sample_uid\": 1, \"ok\": truex}",
        "[1]",
        "{\"sample_uid\": 1",
    ])
    func anythingElseGoesToTheGeneralReader(_ text: String) {
        #expect(SampleLineScanner.scan(Array(text.utf8), fields: fields) == nil)
    }
    /// Rows keep their 1-based line, blank lines counted, whichever path reads them: the
    /// messages of the write name rows by it.
    @Test func rowsKeepTheirLineWithBlankLinesBetween() throws {
        let text = "{\"sample_uid\": 1}\n\n{\"sample_uid\": 2}\n \n\r\n{\"sample_uid\": 3}"
        let scanned = try #require(SampleLineScanner.scan(Array(text.utf8), fields: fields))
        #expect(scanned.lines == [1, 3, 6])
        #expect(try general(text).lines == [1, 3, 6])
    }

    /// A broken row is named by its own line, not by the line where the reader gave up.
    @Test(arguments: [
        ("{\"sample_uid\": 1}\n{\"sample_uid\": 2, \"data_version\": \n{\"sample_uid\": 3}\n", "rows:2",
         "the line ends where a value was expected"),
        ("{\"sample_uid\": 1}\n{\"sample_uid\": 2\n{\"sample_uid\": 3}\n", "rows:2", "the line ends inside an object"),
        ("{\"sample_uid\": 1,\n \"path\": \"a\"}\n", "rows:1", "the line ends inside an object"),
        ("\n{\"sample_uid\": 1}\n\n  \n{\"sample_uid\": 5, \"path\": \"a\n{\"sample_uid\": 6}\n", "rows:5", "a string is not closed"),
        ("{\"sample_uid\": 1}\n\n{\"sample_uid\": 3, \"tags\": [1, 2", "rows:3", "the line ends inside a list"),
        ("{\"sample_uid\": 1}\r\n\r\n{\"sample_uid\": 3} {\"sample_uid\": 4}\r\n{\"sample_uid\": 5}", "rows:3",
         "more than one JSON value on the line"),
        ("{\"sample_uid\": 1, \"score\": 0.5}\n\n{\"sample_uid\": 3, \"data_version\": 5}\n", "rows:3",
         "data_version must be an object"),
        ("{\"sample_uid\": 1}\n\n\n{\"sample_uid\": 4, \"feature_version\": \"v\"}", "rows:4", "feature_version is a system column"),
    ])
    func errorsNameTheLineOfTheBadRow(text: String, file: String, message: String) {
        #expect {
            try SampleBatch.read(Array(text.utf8), source: "rows", feature: FeatureKey(string: "a/b"), fields: fields)
        } throws: { error in
            let error = error as? StoreError
            return error?.file == file && error?.message.contains(message) == true
        }
    }
}
