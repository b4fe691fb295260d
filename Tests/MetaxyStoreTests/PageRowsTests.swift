import Foundation
import MetaxyCore
@testable import MetaxyStore
import Testing
import TestSupport

/// A stale set's rows decoded from the table's pages must be the rows SQLite itself returns, or
/// be refused (then SQLite reads them): tables of integer, text and mixed sample_uids, NULLs,
/// rows spilling onto overflow pages, deletes and updates, a column added later, WAL and
/// rollback journals, commits left in the WAL, a WAL copied into the file, and one started over.
@Suite struct PageRowsTests {
    @Test(arguments: 0..<40) func pagesReadAsSQLiteReads(seed: UInt64) throws {
        var random = GraphGenerator.Random(seed: seed &+ 1_000)
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.db").path
        let wal = Bool.random(using: &random)
        // A second connection keeps the WAL from being checkpointed away when the writer closes.
        var reader: SQLiteDatabase?
        do {
            let db = try SQLiteDatabase(path: path, readOnly: false)
            try db.execute("PRAGMA journal_mode = \(wal ? "WAL" : "DELETE")")
            let uidType = ["INTEGER", "TEXT", ""].randomElement(using: &random)!
            try db.execute("CREATE TABLE t (sample_uid \(uidType), data_version TEXT, feature_version TEXT, snapshot_version TEXT)")
            func insert(_ count: Int) throws {
                let statement = try db.prepare("INSERT INTO t (sample_uid, data_version, feature_version, snapshot_version) VALUES (?, ?, ?, 'snap')")
                for _ in 0..<count {
                    let n = Int64.random(in: -300...3_000, using: &random)
                    let uid: StoreValue = Int.random(in: 0..<5, using: &random) == 0 ? .text("s\(n)") : .integer(n)
                    // In a quarter of the tables, now and then a data version too long for its page.
                    let length = seed % 4 == 0 && Int.random(in: 0..<40, using: &random) == 0 ? Int.random(in: 4_000...9_000, using: &random)
                        : Int.random(in: 0...60, using: &random)
                    let version: StoreValue = Int.random(in: 0..<30, using: &random) == 0 ? .null
                        : .text("{\"a\":\"" + String(repeating: "x", count: length) + "\(n)\"}")
                    let feature: StoreValue = [.text("v1"), .text("v2"), .null].randomElement(using: &random)!
                    try statement.run([uid, version, feature])
                }
            }
            try insert(Int.random(in: 0..<2_000, using: &random))
            if Bool.random(using: &random) { try db.execute("DELETE FROM t WHERE rowid % \(Int.random(in: 2...9, using: &random)) = 0") }
            if Bool.random(using: &random) { try db.execute("UPDATE t SET data_version = 'changed' WHERE rowid % 7 = 1") }
            if Int.random(in: 0..<4, using: &random) == 0 {
                try db.execute("ALTER TABLE t ADD COLUMN path TEXT")
                try insert(Int.random(in: 0..<500, using: &random))
            }
            if wal && Bool.random(using: &random) {
                reader = try SQLiteDatabase(path: path, readOnly: true)
                _ = try reader?.query("SELECT count(*) FROM t")
                try insert(Int.random(in: 1..<300, using: &random))
                // Every frame copied into the file; then perhaps a WAL started over, shorter
                // than the frames left from before.
                if Bool.random(using: &random) {
                    try db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                    if Bool.random(using: &random) { try insert(Int.random(in: 1..<20, using: &random)) }
                }
            }
        }
        for featureVersion in [nil, "v1"] {
            let table = (name: "t", featureVersion: featureVersion)
            let sqlite = try SQLiteDatabase(path: path, readOnly: true)
            let expected = try SQLiteBackend.throughSQLite(sqlite, file: path, table)
            guard let pages = try SQLiteBackend.fromPages(sqlite, file: path, table) else {
                // Refused: only for rows that spill onto overflow pages.
                let longest = try sqlite.query("SELECT max(length(data_version)) FROM t").first?.first?.integer ?? 0
                #expect(longest > 3_900, "seed \(seed): pages refused without an overflowing row")
                continue
            }
            #expect(pages.count == expected.count && pages.scanned == expected.scanned, "seed \(seed)")
            let same = SortedRows.withViews([pages, expected]) { views in
                (0..<min(pages.count, expected.count)).allSatisfy { i in
                    views[0].uid(i) == views[1].uid(i) && views[0].text(i).elementsEqual(views[1].text(i))
                }
            }
            #expect(same, "seed \(seed), feature version \(featureVersion ?? "any")")
        }
        withExtendedLifetime(reader) {}
    }

    /// Tables the pages cannot be read for are read through SQLite: text stored as UTF-16, and
    /// a REAL sample_uid (SQLite stores a whole 3.0 as the integer 3 and reads back 3.0).
    @Test(arguments: [("UTF-16le", "INTEGER"), ("UTF-8", "REAL")])
    func aLayoutNotFollowedIsLeftToSQLite(encoding: String, uidType: String) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.db").path
        do {
            let db = try SQLiteDatabase(path: path, readOnly: false)
            try db.execute("PRAGMA encoding = '\(encoding)'")
            try db.execute("CREATE TABLE t (sample_uid \(uidType), data_version TEXT, feature_version TEXT)")
            try db.execute("INSERT INTO t VALUES (1, '{\"a\":\"x\"}', 'v1'), (2.0, '{\"a\":\"y\"}', 'v1')")
        }
        let sqlite = try SQLiteDatabase(path: path, readOnly: true)
        #expect(try SQLiteBackend.fromPages(sqlite, file: path, ("t", nil)) == nil)
        #expect(try SQLiteBackend.throughSQLite(sqlite, file: path, ("t", nil)).count == 2)
    }

    /// Through a symlink, the WAL beside the real file is read: SQLite keeps it there.
    @Test func aStoreReachedThroughASymlink() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.db").path, link = dir.appendingPathComponent("link.db").path
        let db = try SQLiteDatabase(path: path, readOnly: false)
        try db.execute("PRAGMA journal_mode = WAL")
        try db.execute("CREATE TABLE t (sample_uid INTEGER, data_version TEXT, feature_version TEXT)")
        try db.execute("INSERT INTO t VALUES (1, 'a', 'v1'), (2, 'b', 'v1')")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        // The writer stays open: its last rows are only in the WAL.
        try db.execute("INSERT INTO t VALUES (3, 'c', 'v1')")
        let sqlite = try SQLiteDatabase(path: link, readOnly: true)
        let pages = try #require(try SQLiteBackend.fromPages(sqlite, file: link, ("t", nil)))
        let rows = try SQLiteBackend.throughSQLite(sqlite, file: link, ("t", nil))
        #expect(pages.count == 3 && rows.count == 3)
        withExtendedLifetime(db) {}
    }
}
