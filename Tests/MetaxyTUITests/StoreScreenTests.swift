import Foundation
import MetaxyCore
@testable import MetaxyStore
@testable import MetaxyTUI
import TerminalKit
import TestSupport
import Testing

/// A store with stale rows: crop written for samples 1–6 (with a width column), then the video
/// roots rewritten so samples 1 and 2 changed and 6 is gone; 300 video rows for paging.
enum StaleStoreFixture {
    static func make(in dir: URL, extraRoots: Int = 0) throws -> String {
        let path = dir.appendingPathComponent("stale.db").path
        let store = try MetaxyStore(path: path, readOnly: false, create: true)
        let graph = try GraphLoader.load(path: Fixtures.vectors.appendingPathComponent("graphs/video.json").path)
        try store.push(graph)
        func roots(_ ids: [Int], tag: String) -> [UInt8] {
            Array(ids.map { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\(tag)\", \"frames\": \"f\($0)\"}}" }.joined(separator: "\n").utf8)
        }
        let video = FeatureKey(string: "example/video"), crop = FeatureKey(string: "example/crop")
        try store.write(feature: video, graph: graph, jsonl: roots(Array(1...6), tag: ""), source: "roots")
        try store.write(feature: crop, graph: graph, jsonl: Array((1...6).map { "{\"sample_uid\": \($0), \"width\": \(200 + $0)}" }.joined(separator: "\n").utf8), source: "crop")
        // Sample 6 dropped (replace), then new audio for 1 and 2 appended (their old rows stay).
        try store.write(feature: video, graph: graph, jsonl: roots(Array(1...5), tag: ""), source: "roots2", replace: true)
        try store.write(feature: video, graph: graph, jsonl: roots([1, 2], tag: "x"), source: "roots3")
        if extraRoots > 0 {
            try store.write(feature: video, graph: graph, jsonl: roots(Array(100..<(100 + extraRoots)), tag: ""), source: "more")
        }
        return path
    }

    static func session(_ keys: String, size: Size = Size(width: 120, height: 40), extraRoots: Int = 0) throws -> (Session, VirtualTerminal, URL) {
        let dir = try Fixtures.temporaryDirectory()
        let path = try make(in: dir, extraRoots: extraRoots)
        let (session, terminal) = try Harness.session(GraphOpening.open(path), size: size, keys: keys)
        return (session, terminal, dir)
    }
}

@Suite struct StoreScreenTests {
    @Test func theDemoStoreWrittenByMetaxyIsFresh() throws {
        let demo = Fixtures.vectors.appendingPathComponent("stores/metaxy0-demo.sqlite").path
        let before = try Data(contentsOf: URL(fileURLWithPath: demo))
        for (name, keys) in [("store-demo-120x40", "S"), ("store-demo-samples-80x24", "S<Tab>jw")] {
            let size = name.hasSuffix("80x24") ? Size(width: 80, height: 24) : Size(width: 120, height: 40)
            let (session, terminal) = try Harness.session(GraphOpening.open(demo), size: size, keys: keys)
            #expect(session.state.store?.statuses.count == 2)
            #expect(Harness.mismatch(try #require(terminal.lastFrame), golden: name) == nil)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: demo)) == before, "a store written by metaxy is never modified")
    }

    @Test func staleRowsShowByGlyphAndCount() throws {
        let (session, terminal, dir) = try StaleStoreFixture.session("S")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(Harness.mismatch(try #require(terminal.lastFrame), golden: "store-stale-120x40") == nil)
        let s = try #require(session.state.store)
        let crop = try #require(session.state.graph.index(of: FeatureKey(string: "example/crop")))
        #expect(s.status(of: crop)?.changed == [.int(1), .int(2)])
        #expect(s.status(of: crop)?.removed == [.int(6)])
        #expect(session.state.staleCount(crop) == 3, "the Graph screen's heat column")
        try Harness.press("<Tab>w", on: session)
        let why = try #require(session.state.store?.why)
        #expect(why.uid == .int(1) && why.fields.contains { $0.isStale })
        #expect(Harness.mismatch(View.render(session.state), golden: "store-stale-why-120x40") == nil)
        let audio = try #require(why.fields.first { $0.key == "audio" }?.inputs.first)
        #expect(audio.changed && audio.previous == "a1" && audio.value == "a1x", "the rewritten upstream value, with what it was")
        #expect(why.fields.first { $0.key == "frames" }?.inputs.first?.changed == false)
        try Harness.press("u", on: session)
        #expect(session.state.store?.selected.map { session.state.graph.key($0.feature).string } == "example/video")
        #expect(session.state.store?.page?.rows.first?.uid == .int(1), "u: the same sample upstream")
        try Harness.press("<Tab>kkk<Tab>w", on: session)
        try Harness.press("<Esc>f", on: session)
        #expect(session.state.store?.page?.rows.map(\.uid) == [.int(1), .int(2)], "filter: changed")
        try Harness.press("f", on: session)
        #expect(session.state.store?.page?.rows.map(\.uid) == [.int(6)], "filter: removed")
        try Harness.press("<Tab>j<Tab>f", on: session)
        #expect(session.state.store?.filter == .added)
        #expect(session.state.store?.page?.rows.map(\.uid) == (1...6).map { SampleUID.int(Int64($0)) }, "face_detection: every crop sample is added")
        #expect(View.render(session.state).text.contains("+ 1 "), "added samples are marked +")
        try Harness.press("<Esc><Esc>", on: session)
        #expect(session.state.screen == .graph)
    }

    @Test func pagesComeStraightFromSQLite() throws {
        let (session, _, dir) = try StaleStoreFixture.session("Sjjj<Tab>", extraRoots: 1_000)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(session.state.graph.key(session.state.store!.selected!.feature).string == "example/video")
        let first = try #require(session.state.store?.page?.rows)
        #expect(first.count == StoreState.pageSize)
        try Harness.press("G", on: session)
        let last = try #require(session.state.store?.page?.rows)
        #expect(last.last?.uid == .int(1_099), "G loads the last page")
        #expect(session.state.store?.pageCursor == last.count - 1)
        try Harness.press("g", on: session)
        #expect(session.state.store?.page?.rows.first?.rowid == first.first?.rowid)
        for _ in 0..<StoreState.pageSize { try Harness.press("j", on: session) }
        #expect(session.state.store?.page?.rows.first?.rowid == first.last.map { $0.rowid + 1 }, "past the page's end, the next page")
        try Harness.press("k", on: session)
        #expect(session.state.store?.page?.rows.last?.rowid == first.last?.rowid, "and back")
        try Harness.press("o", on: session)
        #expect(session.state.message?.text == "sorted by sample_uid ↑")
        #expect(session.state.store?.page?.rows.prefix(3).map(\.uid) == [.int(1), .int(1), .int(2)], "every stored row, both writes of 1")
        try Harness.press("o", on: session)
        #expect(session.state.store?.page?.rows.first?.uid == .int(1_099))
        for _ in 0..<StoreState.pageSize { try Harness.press("j", on: session) }
        #expect(session.state.store?.offset == StoreState.pageSize, "a sorted view pages by offset")
        #expect(session.state.store?.page?.rows.first?.uid == .int(899))
        try Harness.press("G", on: session)
        #expect(session.state.store?.page?.rows.last?.uid == .int(1), "the end of the sorted view")
        try Harness.press("/742<Enter>", on: session)
        #expect(session.state.store?.page?.rows.first?.uid == .int(742), "/ finds a sample_uid")
        try Harness.press("/nope<Enter>", on: session)
        #expect(session.state.message?.text == "no stored row of example/video has sample_uid nope")
    }

    @Test func openSwitchesToAnotherGraphOrStore() throws {
        let demo = Fixtures.vectors.appendingPathComponent("stores/metaxy0-demo.sqlite").path
        let (session, _) = try Harness.session(Harness.demo(), keys: ":open \(demo)<Enter>S")
        #expect(session.state.source.store == demo)
        #expect(session.state.graph.count == 2)
        #expect(session.state.screen == .store)
        #expect(session.state.store?.statuses.count == 2)
        try Harness.press(":open /nonexistent.yaml<Enter>", on: session)
        #expect(session.state.message?.text.hasPrefix("could not open /nonexistent.yaml") == true)
        #expect(session.state.graph.count == 2, "a bad path keeps what is open")
    }
}

/// The stale-set cache in the TUI: what the last status computed shows at once, marked with its
/// age, on the Store screen and in the Graph screen's heat column, until the ones of now come.
@Suite struct CachedStaleSetTests {
    @Test func theLastStaleSetsShowAtOnceWithTheirAge() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try StaleStoreFixture.make(in: dir)
        let cache = try #require(StaleCacheLocation.standard())
        let (graph, source) = try GraphOpening.open(path)
        let crop = try #require(graph.index(of: FeatureKey(string: "example/crop")))
        _ = try MetaxyStore(path: path).status(graph: graph, algorithm: .xxhash64, cache: cache)

        // At launch: the Graph screen's heat column has crop's 3 stale samples before any store work.
        let (session, terminal) = try Harness.session((graph, source))
        #expect(session.state.store == nil)
        #expect(session.state.staleCount(crop) == 3)
        #expect(try #require(terminal.lastFrame).text.contains("!3"))

        // The Store screen as it first draws, before its own work runs: the cached sets, dimmed, with their age.
        var state = session.state
        _ = Update.apply(.key(.char("S")), to: &state)
        guard case .cached(let status)? = state.store?.statuses[crop] else {
            Issue.record("crop's stale set is not the cached one: \(String(describing: state.store?.statuses[crop]))")
            return
        }
        #expect(status.changed == [.int(1), .int(2)] && status.removed == [.int(6)])
        let frame = View.render(state)
        #expect(frame.text.contains("stale sets as of"), "\(frame.text)")
        #expect(frame.text.contains("s ago (cache)"))
        // crop's row is the cursor's; face_detection's (all added) shows the marking.
        let faces = try #require(graph.index(of: FeatureKey(string: "example/face_detection")))
        let text = StoreView.staleText(try #require(state.store?.status(of: faces)))
        let lines = frame.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains { $0.contains("example/crop") && $0.contains("~2 -1") })
        let row = try #require(lines.firstIndex { $0.contains("example/face_detection") && $0.contains(text) })
        let offset = lines[row].distance(from: lines[row].startIndex, to: try #require(lines[row].range(of: text)).lowerBound)
        let roles = Array(frame.styleLayer.split(separator: "\n", omittingEmptySubsequences: false)[row])
        #expect(roles[offset] == Role.muted.letter, "cached counts are drawn muted")

        // Then the ones of now replace them, and the age goes.
        try Harness.press("S", on: session)
        #expect({ if case .done? = session.state.store?.statuses[crop] { true } else { false } }())
        #expect(session.state.store?.cachedAge == nil)
        #expect(!(try #require(terminal.lastFrame).text.contains("(cache)")))
    }

    /// Counts cached for one graph are not shown against another: after a reload to a graph whose
    /// versions differ, the heat column waits for the Store screen.
    @Test func cachedCountsGoWithTheGraphTheyWereFor() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try StaleStoreFixture.make(in: dir)
        let (graph, source) = try GraphOpening.open(path)
        _ = try MetaxyStore(path: path).status(graph: graph, algorithm: .xxhash64, cache: try #require(StaleCacheLocation.standard()))
        let crop = try #require(graph.index(of: FeatureKey(string: "example/crop")))
        let (session, _) = try Harness.session((graph, source))
        #expect(session.state.staleCount(crop) == 3)
        let v2 = try GraphLoader.load(path: Fixtures.vectors.appendingPathComponent("graphs/video_audio_v2.json").path)
        session.dispatch(.graphLoaded(v2))
        #expect(session.state.staleCount(try #require(v2.index(of: FeatureKey(string: "example/crop")))) == nil)
        // Back to the graph the cache is for: its counts come back.
        session.dispatch(.graphLoaded(graph))
        #expect(session.state.staleCount(crop) == 3)
    }
}
