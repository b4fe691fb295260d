import Foundation
import MetaxyCore
import MetaxyStore
import Testing
import TestSupport

/// Reading the store that Python metaxy 0.0.0 wrote (stores/metaxy0-demo.sqlite).
@Suite struct MetaxyStoreTests {
    static let demo = Fixtures.vectors.appendingPathComponent("stores/metaxy0-demo.sqlite").path
    static let snapshot = "67e70b838971e174c17218e421a213d96f3a1f640dac187feb552a24fe23c7db"

    /// A copy to read, so a test that did write could not damage the fixture.
    func demoCopy() throws -> String {
        let dir = try Fixtures.temporaryDirectory()
        let copy = dir.appendingPathComponent("demo.sqlite").path
        try FileManager.default.copyItem(atPath: Self.demo, toPath: copy)
        return copy
    }

    @Test func snapshotsAreListed() throws {
        let store = try MetaxyStore(path: demoCopy())
        #expect(try store.snapshots() == [Snapshot(version: Self.snapshot, recordedAt: "2026-11-27T22:00:44.578735", featureCount: 2)])
    }

    @Test func aSnapshotRebuildsFromItsStoredSpecsWithTheRecordedVersions() throws {
        let path = try demoCopy()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for reference in ["latest", "67e70b83", Self.snapshot] {
            let graph = try MetaxyStore(path: path).graph(snapshot: reference)
            #expect(graph.snapshotVersion == Self.snapshot)
            #expect(graph.featureVersion(graph.index(of: FeatureKey(string: "demo/video"))!)
                == "2038e4ca5f2dc47e3b68e649222519d734f3954a7119ffa50b371334aa3afe3a")
            #expect(graph.featureVersion(graph.index(of: FeatureKey(string: "demo/crop"))!)
                == "8153392431971deb45724c6bf7e2319b7484b4c8bbd03ade17be731e42bf9ab5")
        }
        #expect(try GraphReference.load(path).snapshotVersion == Self.snapshot)
        #expect(try GraphReference.load(path + "@latest").snapshotVersion == Self.snapshot)
        // Reading never changes a byte of a metaxy-written store.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func unknownSnapshotPrefixListsTheCandidates() throws {
        let store = try MetaxyStore(path: demoCopy())
        #expect { try store.graph(snapshot: "ffff") } throws: { error in
            "\(error)".contains("no snapshot starts with 'ffff'") && "\(error)".contains(Self.snapshot)
        }
    }

    @Test func filesThatAreNotMetaxyStoresAreRefused() throws {
        let dir = try Fixtures.temporaryDirectory()
        let text = dir.appendingPathComponent("graph.yaml").path
        try "features: []\n".write(toFile: text, atomically: true, encoding: .utf8)
        #expect { try MetaxyStore(path: text) } throws: { "\($0)".contains("is not a SQLite database") }
        #expect { try MetaxyStore(path: dir.appendingPathComponent("missing.db").path) } throws: { "\($0)".contains("no such file") }
        // A truncated copy of the demo store: the header survives, the pages do not.
        let truncated = dir.appendingPathComponent("truncated.sqlite").path
        try Data(contentsOf: URL(fileURLWithPath: Self.demo)).prefix(1_000).write(to: URL(fileURLWithPath: truncated))
        #expect { try MetaxyStore(path: truncated).snapshots() } throws: { "\($0)".contains(truncated) }
    }
    /// A read-only store leaves no -wal or -shm behind, and one open while another connection
    /// writes reads the store before and after the write, never a mix.
    @Test func readingAWALStoreLeavesNoFilesAndSeesWritesMadeMeanwhile() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("s.db").path
        let graph = try Fixtures.graph("features:\n  - key: a\n    fields: [x]\n")
        func rows(_ uids: ClosedRange<Int>) -> [UInt8] {
            Array(uids.map { "{\"sample_uid\": \($0), \"data_version\": {\"x\": \"v\($0)\"}}\n" }.joined().utf8)
        }
        func besides() -> [String] { ["-wal", "-shm"].filter { FileManager.default.fileExists(atPath: path + $0) } }
        try MetaxyStore(path: path, readOnly: false, create: true).write(feature: FeatureKey(string: "a"), graph: graph,
                                                                        jsonl: rows(1...100), source: "rows")
        #expect(besides() == [])
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(try MetaxyStore(path: path).samples(feature: FeatureKey(string: "a"), limit: nil, offset: 0).count == 100)
        #expect(besides() == [])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        do {
            let reader = try MetaxyStore(path: path)
            #expect(try reader.samples(feature: FeatureKey(string: "a"), limit: nil, offset: 0).count == 100)
            #expect { try reader.push(graph) } throws: { "\($0)".contains("read-only") }
            try MetaxyStore(path: path, readOnly: false).write(feature: FeatureKey(string: "a"), graph: graph,
                                                               jsonl: rows(101...150), source: "rows")
            #expect(try reader.samples(feature: FeatureKey(string: "a"), limit: nil, offset: 0).count == 150)
            #expect(try reader.rowCounts(FeatureKey(string: "a"), featureVersion: graph.featureVersion(0)).stored == 150)
        }
        #expect(besides() == [])
        #expect(try MetaxyStore(path: path).samples(feature: FeatureKey(string: "a"), limit: nil, offset: 0).count == 150)
    }
}
