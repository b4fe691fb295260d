import Foundation
import MetaxyCore
@testable import MetaxyStore
@testable import MetaxyTUI
import TerminalKit
import TestSupport
import Testing

/// A store with two snapshots (the README graph, then audio at code_version 2), samples written
/// at the first, and recorded times fixed so goldens do not move.
enum DiffFixture {
    static let graphs = Fixtures.vectors.appendingPathComponent("graphs")
    static let v1 = graphs.appendingPathComponent("video.json").path
    static let v2 = graphs.appendingPathComponent("video_audio_v2.json").path

    static func store(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("s.db").path
        let store = try MetaxyStore(path: path, readOnly: false, create: true)
        let old = try GraphLoader.load(path: v1), new = try GraphLoader.load(path: v2)
        try store.push(old)
        let roots = (0..<5).map { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\", \"frames\": \"f\($0)\"}}" }
        _ = try store.write(feature: FeatureKey(string: "example/video"), graph: old, jsonl: Array(roots.joined(separator: "\n").utf8), source: "roots")
        _ = try store.write(feature: FeatureKey(string: "example/crop"), graph: old, jsonl: Array("{\"sample_uid\": 0}\n{\"sample_uid\": 1}\n".utf8), source: "crop")
        try store.push(new)
        let table = quoteIdentifier(MetaxyStore.featureVersionsTable)
        try store.sqliteDB.execute("UPDATE \(table) SET recorded_at = '2026-11-01T09:00:00.000000' WHERE snapshot_version = '\(old.snapshotVersion)'")
        try store.sqliteDB.execute("UPDATE \(table) SET recorded_at = '2026-11-20T17:30:00.000000' WHERE snapshot_version = '\(new.snapshotVersion)'")
        return path
    }

    /// A session on the v2 file with the store, after `keys`.
    static func session(_ keys: String, size: Size = Size(width: 120, height: 40)) throws -> (Session, VirtualTerminal, URL) {
        let dir = try Fixtures.temporaryDirectory()
        let store = try store(in: dir)
        let (session, terminal) = try Harness.session(GraphOpening.open(v2, store: store), size: size, keys: keys)
        return (session, terminal, dir)
    }
}

@Suite struct DiffScreenTests {
    @Test(arguments: [
        ("diff-default-120x40", "d", Size(width: 120, height: 40)),
        ("diff-snapshots-120x40", "dp<Enter><Enter>", Size(width: 120, height: 40)),
        ("diff-field-why-120x40", "dp<Enter><Enter>j", Size(width: 120, height: 40)),
        ("diff-picker-80x24", "dp", Size(width: 80, height: 24)),
        ("diff-changes-only-80x24", "dp<Enter><Enter>c", Size(width: 80, height: 24)),
    ])
    func screen(name: String, keys: String, size: Size) throws {
        let (session, terminal, dir) = try DiffFixture.session(keys, size: size)
        defer { try? FileManager.default.removeItem(at: dir) }
        let frame = try #require(terminal.lastFrame)
        #expect(frame == View.render(session.state))
        #expect(Harness.mismatch(frame, golden: name) == nil)
    }

    @Test func filesWithoutAStoreShowEveryStatus() throws {
        let pair = Fixtures.repository.appendingPathComponent("Tests/Fixtures/diffs")
        let keys = ":diff \(pair.appendingPathComponent("metaxy_example.old.json").path) \(pair.appendingPathComponent("metaxy_example.new.json").path)<Enter>"
        let (session, terminal) = try Harness.session(Harness.demo(), size: Size(width: 80, height: 24), keys: keys)
        #expect(session.state.screen == .diff)
        #expect(Harness.mismatch(try #require(terminal.lastFrame), golden: "diff-files-80x24") == nil)
        let d = try #require(session.state.diffScreen.diff)
        #expect(d.input.impact == nil && d.input.timeline.isEmpty)
        #expect([GraphDiff.Status.changed, .added, .removed, .unchanged].map(d.diff.count) == [2, 1, 1, 1])
    }

    @Test func filtersNextChangeAndSwap() throws {
        let (session, _, dir) = try DiffFixture.session("dp<Enter><Enter>")
        defer { try? FileManager.default.removeItem(at: dir) }
        func selected() -> String {
            guard let d = session.state.diffScreen.diff, let row = d.selected else { return "" }
            let f = d.diff.features[row.feature]
            return row.field.map { f.key + "." + f.fields[$0].key } ?? f.key
        }
        #expect(selected() == "example/crop")
        try Harness.press("n", on: session)
        #expect(selected() == "example/crop.audio")
        try Harness.press("nn", on: session)
        #expect(selected() == "example/stt.transcription")
        try Harness.press("N", on: session)
        #expect(selected() == "example/stt")
        try Harness.press("G", on: session)
        try Harness.press("n", on: session)
        #expect(selected() == "example/crop")
        #expect(session.state.message?.text == "wrapped to the first change")

        try Harness.press("c", on: session)
        #expect(session.state.diffScreen.diff?.rows.count == 6, "3 changed features and their 3 changed fields")
        try Harness.press("c", on: session)
        #expect(session.state.diffScreen.diff?.rows.count == 10)
        try Harness.press("m", on: session)
        #expect(session.state.diffScreen.diff?.visibleKeys == ["example/crop", "example/stt", "example/video"])
        try Harness.press("a", on: session)
        #expect(session.state.diffScreen.diff?.rows.isEmpty == true)
        try Harness.press("a", on: session)
        #expect(session.state.diffScreen.diff?.rows.count == 10)

        let before = try #require(session.state.diffScreen.diff?.diff.old.snapshotVersion)
        try Harness.press("s", on: session)
        #expect(session.state.diffScreen.diff?.diff.new.snapshotVersion == before, "s swaps the sides")
        try Harness.press("<Esc>", on: session)
        #expect(session.state.screen == .graph)
        try Harness.press("d", on: session)
        #expect(session.state.screen == .diff)
    }

    @Test func impactAndTimeline() throws {
        let (session, _, dir) = try DiffFixture.session("dp<Enter><Enter>")
        defer { try? FileManager.default.removeItem(at: dir) }
        let d = try #require(session.state.diffScreen.diff)
        #expect(d.input.impact == ["example/crop": 2, "example/stt": 0, "example/video": 5])
        #expect(d.changePoints(feature: "example/crop", field: "audio").map(\.index) == [0, 1])
        #expect(d.changePoints(feature: "example/crop", field: "frames").map(\.index) == [0])
        try Harness.press("j<", on: session)
        #expect(session.state.diffScreen.diff?.timelineStep == 0)
        try Harness.press(">>", on: session)
        #expect(session.state.diffScreen.diff?.timelineStep == 1)
        try Harness.press("k<", on: session)
        #expect(session.state.message?.text == "select a field to step through its versions")
    }

    @Test func exportWritesOnlyWhatIsShown() throws {
        let (session, _, dir) = try DiffFixture.session("dp<Enter><Enter>m")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("d.json").path
        try Harness.press(":export json \(out)<Enter>", on: session)
        #expect(session.state.message?.text == "wrote \(out) (json, 3 features)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect((json["features"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["example/crop", "example/stt", "example/video"])
    }

    @Test func withoutAStoreOrDiffTheScreenSaysWhatToDo() throws {
        let state = try Harness.replay("d")
        #expect(state.screen == .graph || state.screen == .diff)
        #expect(state.message?.text.hasPrefix("nothing to compare yet") == true)
        let bad = try Harness.replay(":diff /nonexistent/a.yaml /nonexistent/b.yaml<Enter>")
        #expect(bad.message?.isError == true)
        #expect(bad.message?.text.contains("/nonexistent/a.yaml") == true)
        #expect(bad.diffScreen.loading == nil)
        #expect(bad.diffScreen.failure?.contains("/nonexistent/a.yaml") == true, "the Diff screen says why, not \"comparing…\" forever")
        #expect(try Harness.replay(":diff one<Enter>").message?.text.hasPrefix("diff takes two graphs") == true)
    }
}
