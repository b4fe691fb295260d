import Foundation
import MetaxyCore
import Testing
import TestSupport

/// Migration files as metaxy 0.0.0 writes and reads them, the chain of them, and where a
/// migration stands from its events.
struct MigrationFileTests {
    static let vector = Fixtures.vectors.appendingPathComponent("migrations/crop_frames_v2")

    @Test func theFileIsByteForByteMetaxys() throws {
        let expected = try String(contentsOf: Self.vector.appendingPathComponent("migration.yaml"), encoding: .utf8)
        // 2026-12-01T21:38:22.993652Z, the instant metaxy stamped.
        let instant = Date(timeIntervalSince1970: 1_796_161_102.993652)
        let stamp = Migration.stamp(instant, name: nil)
        #expect(stamp.id == "20261201_213822")
        #expect(stamp.createdAt == "2026-12-01T21:38:22.993652+00:00")
        let migration = Migration(id: stamp.id, createdAt: stamp.createdAt, parent: Migration.initial,
                                  fromSnapshot: "8468950dcc9f75e4089529577e7b8ba044205e16a7c32b54910e7c73b9f7303d",
                                  toSnapshot: "cfad872c593c2549c70a8f9406cf05613d24f772f68220e4c2dfe1e98ab3872f")
        #expect(migration.yaml == expected)
        #expect(try Migration.parse(expected, file: "m.yaml") == migration)
    }

    @Test func aNamedIDIsPlainAndAnAllDigitParentIsQuoted() throws {
        let stamp = Migration.stamp(Date(timeIntervalSince1970: 1_796_161_102), name: "crop_v2")
        #expect(stamp.id == "20261201_213822_crop_v2")
        #expect(stamp.createdAt == "2026-12-01T21:38:22+00:00")
        let yaml = Migration(id: stamp.id, createdAt: stamp.createdAt, parent: "20261130_101010", fromSnapshot: "a", toSnapshot: "b").yaml
        #expect(yaml.hasPrefix("id: 20261201_213822_crop_v2\ncreated_at: '2026-12-01T21:38:22+00:00'\nparent: '20261130_101010'\n"))
        // Read back by Yams, as PyYAML would read it: strings, not numbers.
        #expect(try Migration.parse(yaml, file: "m.yaml").parent == "20261130_101010")
        #expect(!Migration.isValidName("a b") && !Migration.isValidName("../x") && Migration.isValidName("crop-v2_1"))
    }

    @Test func theLoaderFillsWhatMetaxyFillsAndNamesWhatIsMissing() throws {
        let minimal = try Migration.parse("id: 20261201_213822_x\nfrom_snapshot_version: a\nto_snapshot_version: b\nops:\n- type: T\n", file: "m.yaml")
        #expect(minimal.parent == "initial" && minimal.createdAt == "2026-12-01T21:38:22+00:00" && minimal.ops == ["T"])
        #expect(throws: MigrationError.self) { try Migration.parse("id: x\nops: []\nto_snapshot_version: b\n", file: "m.yaml") }
        do {
            _ = try Migration.parse("id: x\nfrom_snapshot_version: a\nto_snapshot_version: b\n", file: "m.yaml")
            Issue.record("no ops accepted")
        } catch {
            #expect("\(error)" == "error: m.yaml: has no ops; metaxy needs it in every migration")
        }
        do {
            _ = try Migration.parse("id: [unclosed\n", file: "m.yaml")
            Issue.record("bad YAML accepted")
        } catch {
            #expect("\(error)".hasPrefix("error: m.yaml:"), "\(error)")
        }
    }

    func entry(_ id: String, parent: String) -> MigrationChain.Entry {
        .init(file: "d/\(id).yaml", migration: Migration(id: id, createdAt: "", parent: parent, fromSnapshot: "a", toSnapshot: "b"))
    }

    @Test func theChainRunsFromInitialToTheOneHead() throws {
        let chain = try MigrationChain([entry("3", parent: "2"), entry("1", parent: "initial"), entry("2", parent: "1")], directory: "d")
        #expect(chain.entries.map(\.migration.id) == ["1", "2", "3"])
        #expect(chain.head == "3")
        #expect(try MigrationChain([], directory: "d").head == "initial")
    }

    @Test(arguments: [
        (["1:initial", "2:1", "3:1"], "has 2 heads (d/2.yaml, d/3.yaml)"),
        (["1:2", "2:1"], "go round in a circle"),
        (["1:9", "2:1"], "d/1.yaml: names the parent 9"),
        (["1:initial", "2:1", "4:3", "3:4"], "outside the chain from 2 back to initial: d/3.yaml, d/4.yaml"),
        (["1:initial", "1:initial"], "ids must be unique"),
    ])
    func aBrokenChainNamesTheFiles(links: [String], message: String) {
        let entries = links.map { link in
            let parts = link.split(separator: ":").map(String.init)
            return entry(parts[0], parent: parts[1])
        }
        #expect(throws: MigrationError.self) { try MigrationChain(entries, directory: "d") }
        do { _ = try MigrationChain(entries, directory: "d") } catch { #expect("\(error)".contains(message), "\(error)") }
    }

    @Test func progressFromMetaxysOwnEvents() throws {
        let rows = try #require(try Fixtures.json(Self.vector.appendingPathComponent("events.json")) as? [[String: Any]])
        let events = rows.map {
            MigrationEvent(migrationID: $0["migration_id"] as! String, kind: $0["event_type"] as! String, timestamp: $0["timestamp"] as! String,
                           featureKey: $0["feature_key"] as! String, rowsAffected: $0["rows_affected"] as! Int, errorMessage: $0["error_message"] as! String)
        }
        let afterFailure = MigrationProgress(Array(events.prefix(6)))
        #expect(afterFailure.status == .failed && afterFailure.completed.isEmpty && afterFailure.failed.count == 2)
        let all = MigrationProgress(events)
        #expect(all.status == .completed)
        #expect(all.completed == ["example/crop": 30, "example/face_detection": 60])
        // metaxy keeps listing the first attempt's failures; they were mended by the second.
        #expect(all.failed.isEmpty)
        #expect(MigrationProgress([]).status == .notStarted)
        #expect(MigrationProgress(Array(events.prefix(2))).status == .inProgress)
    }
}
