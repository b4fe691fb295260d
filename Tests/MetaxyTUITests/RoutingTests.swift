import Foundation
import MetaxyCore
@testable import MetaxyStore
@testable import MetaxyTUI
import TerminalKit
import TestSupport
import Testing

/// Keys go to the overlay, the screen, then the global keymap, each once: what a user found
/// broken, each replayed as it was found.
@Suite struct RoutingTests {
    static let video = Fixtures.vectors.appendingPathComponent("graphs/video.json").path

    @Test(arguments: ["a", "r", "m", "<", ">", "c", "n", "s", "j", "G", "v", "y"])
    func diffKeysWithNothingLoadedSayWhatToDo(key: String) throws {
        // Was a stack overflow: the Diff screen handed `a` to the global handler, which handed it back.
        let (session, terminal) = try Harness.session(GraphOpening.open(Self.video), keys: "d" + key)
        #expect(session.state.screen == .diff)
        #expect(session.state.message?.text.hasPrefix("no diff yet") == true, "\(String(describing: session.state.message))")
        #expect(terminal.lastFrame?.text.contains("No diff yet.") == true)
    }

    @Test func screenKeysWorkFromEveryScreen() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StaleStoreFixture.make(in: dir)
        for (keys, screen) in [("D", Screen.dag), ("DS", .store), ("DSd", .diff), ("DSdS", .store), ("DSdSD", .dag), ("DSdSDd", .diff),
                               ("DSdSDdD", .dag), ("DSdSDdDD", .graph), ("SS", .graph), ("dd", .graph), ("S<Esc>", .graph), ("D<Esc>", .graph),
                               ("dD", .dag), ("dS", .store), ("Sd", .diff), ("SD", .dag)] {
            let (session, _) = try Harness.session(GraphOpening.open(store), keys: keys)
            #expect(session.state.screen == screen, "\(keys)")
        }
    }

    @Test func helpListsEveryScreenTheOpenOneFirstWithoutCutsOrRepeats() throws {
        let lines = HelpView.lines(filter: "", screen: .diff, width: 60).map { $0.map(\.text).joined() }
        #expect(lines.first == "▸ Diff screen — this screen")
        for title in ["Graph screen", "DAG screen", "Store screen", "Everywhere: Screens", "Everywhere: General"] {
            #expect(lines.contains(title), "\(title)")
        }
        #expect(lines.allSatisfy { CellWidth.of($0) <= 60 }, "long summaries wrap instead of being cut")
        let screenKeys = lines.filter { $0.hasPrefix("  d ") }
        #expect(screenKeys.count == 1, "d is listed once: \(screenKeys)")
        let text = lines.joined(separator: " ").replacingOccurrences(of: "  ", with: " ")
        for binding in Keymap.bindings {
            let words = binding.summary.split(separator: " ").prefix(3).joined(separator: " ")
            #expect(text.contains(words), "\(binding.summary)")
        }
    }

    @Test func tourStepTwoTabLandsOnTheFirstFieldAndBracketReturnsToTheFieldLeft() throws {
        // The README graph: example/video's fields are audio and frames.
        let state = try Harness.replay(":goto example/video<Enter><Tab>")
        #expect(state.graphScreen.focus == .detail)
        #expect(state.graphScreen.selectedField == 0, "Tab lands on the first field, whose lineage shows")
        // On frames, jump along its lineage, then back: frames again, in the detail pane.
        let back = try Harness.replay(":goto example/video<Enter><Tab>j" + String(repeating: "j", count: 3) + "<Enter>[")
        #expect(back.graphScreen.selectedRow?.path == "example/video")
        #expect(back.graphScreen.selectedField == 1)
        #expect(back.graphScreen.focus == .detail)
    }

    @Test func gotoPutsTheKeysOnTheFeaturesPane() throws {
        let state = try Harness.replay("<Tab>:goto example/stt<Enter>")
        #expect(state.graphScreen.selectedRow?.path == "example/stt")
        #expect(state.graphScreen.focus == .features)
        #expect(try Harness.replay("D:goto example/crop<Enter>").screen == .graph, ":goto shows the feature on the Graph screen")
    }

    @Test func aFullKeyTypedAfterSlashSelectsThatKeyNotItsGroup() throws {
        let graph = try Fixtures.graph("""
        features:
          - key: k-8
          - key: k-8/raw
          - key: k-8/raw/q9
          - key: k-8/raw/q9x
        """)
        let (session, _) = try Harness.session((graph, GraphSource(label: "g", reference: nil, watchedPath: nil)), keys: "/k-8/raw/q9")
        #expect(session.state.graphScreen.selectedRow?.path == "k-8/raw/q9")
        try Harness.press("<Esc>/raw/q<Enter>", on: session)
        #expect(session.state.graphScreen.selectedRow?.path == "k-8/raw/q9", "the first feature that matches, not a group's own")
    }

    @Test func pickerShowsPositionsAndStartsOldBeforeNew() throws {
        let (session, terminal, dir) = try DiffFixture.session("dp", size: Size(width: 120, height: 40))
        defer { try? FileManager.default.removeItem(at: dir) }
        let picker = try #require(session.state.picker)
        #expect(picker.choices.map(\.label) == ["graph file video_audio_v2.json", "snapshot 2 of 2", "snapshot 1 of 2"])
        #expect(picker.choices.allSatisfy { $0.detail.contains("4 features") })
        #expect(picker.cursor == 2, "the graph file is snapshot 2: OLD starts on the one before it")
        #expect(terminal.lastFrame?.text.contains("snapshot 1 of 2") == true)
        try Harness.press("<Enter>", on: session)
        #expect(session.state.picker?.cursor == 1, "NEW starts on the side just newer than OLD")
    }

    @Test func swapKeepsTheFilter() throws {
        let (session, _, dir) = try DiffFixture.session("dp<Enter><Enter>c")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(session.state.diffScreen.diff?.changedOnly == true)
        try Harness.press("s", on: session)
        #expect(session.state.diffScreen.diff?.changedOnly == true, "s swaps the sides, not the view")
        try Harness.press("m", on: session)
        try Harness.press("s", on: session)
        #expect(session.state.diffScreen.diff?.only == [.changed])
    }

    @Test func xRightAfterSCancelsWhatIsAboutToRun() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StaleStoreFixture.make(in: dir)
        var state = try Harness.session(GraphOpening.open(store)).0.state
        // The shell's work is left pending, as it is for the first moments of a real session.
        let opening = Update.apply(.key(.char("S")), to: &state)
        #expect(opening.contains(.loadStoreSummary))
        let cancel = Update.apply(.key(.char("x")), to: &state)
        #expect(cancel == [.cancelStale])
        #expect(state.message?.text == "stale sets: cancelled; x computes them again")
        let rows = state.store!.rows.map { StoreFeatureRow(feature: $0.feature, root: $0.root, stored: 1, current: 1) }
        #expect(Update.apply(.storeSummary(rows), to: &state).isEmpty, "the counts arrive, the stale sets do not start")
        #expect(state.store?.progress == nil)
        #expect(View.render(state).text.contains("stale sets cancelled; x computes them"), "not \"…\" forever")
        #expect(Update.apply(.key(.char("x")), to: &state) == [.computeStale], "x again computes them")
        #expect(state.store?.progress?.done == 0)
    }

    @Test func pagingBeforeThePageArrivesKeepsTheCursorOnTheRows() throws {
        // Found by the fuzz test: `G` set the cursor to Int.max until the last page came.
        let (session, _, dir) = try StaleStoreFixture.session("S<Tab>", extraRoots: 250)
        defer { try? FileManager.default.removeItem(at: dir) }
        var state = session.state
        let rows = try #require(state.store?.page?.rows.count)
        for key in [Key.char("G"), .char("k"), .pageUp] {
            _ = Update.apply(.key(key), to: &state)
            #expect((0..<rows).contains(state.store!.pageCursor), "\(key) while the page is on its way")
        }
        let last = SamplePage(rows: (1...7).map { SamplePage.Row(rowid: Int64($0), uid: .int(Int64($0)), dataVersion: [], featureVersion: "", extra: []) },
                              columns: [])
        _ = Update.apply(.key(.char("G")), to: &state)
        let selected = try #require(state.store?.selectedKey(state.graph))
        let other = try #require(state.graph.specs.map(\.key).first { $0 != selected })
        _ = Update.apply(.samplesLoaded(feature: other, SamplePage(rows: [], columns: []), atEnd: false), to: &state)
        #expect(state.store?.page?.rows.count == rows, "a page read late for a feature left behind is dropped")
        _ = Update.apply(.samplesLoaded(feature: selected, last, atEnd: false), to: &state)
        #expect(state.store?.pageCursor == 6, "then it lands on the last row")
        // A page of every row that arrives after `f` picked the changed ones is not theirs.
        _ = Update.apply(.key(.char("f")), to: &state)
        _ = Update.apply(.samplesLoaded(feature: selected, SamplePage(rows: [], columns: []), atEnd: false, filter: .changed), to: &state)
        _ = Update.apply(.samplesLoaded(feature: selected, last, atEnd: false), to: &state)
        #expect(state.store?.page?.rows.isEmpty == true, "a page read late for another filter is dropped")
    }

    @Test func fromTheStoreScreenKeysAreTheStoreScreens() throws {
        let (session, _, dir) = try StaleStoreFixture.session("S")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Harness.press("<Tab>w", on: session)
        #expect(session.state.store?.why != nil)
        try Harness.press("<Esc>", on: session)
        #expect(session.state.store?.why == nil, "Esc first closes why")
        #expect(session.state.screen == .store)
        try Harness.press("<Esc>", on: session)
        #expect(session.state.screen == .graph)
    }
}

/// What the user sees when background work fails: said on the screen, never "…" forever or a 0.
@Suite struct FailureTests {
    @Test func aVanishedStoreShowsOnTheRowsAndTheStatusLine() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StaleStoreFixture.make(in: dir)
        let graph = dir.appendingPathComponent("g.json").path
        try FileManager.default.copyItem(atPath: RoutingTests.video, toPath: graph)
        let (session, terminal) = try Harness.session(GraphOpening.open(graph, store: store))
        try FileManager.default.removeItem(atPath: store)
        try Harness.press("S", on: session)
        let frame = View.render(session.state).text
        #expect(session.state.message?.isError == true)
        #expect(frame.contains("✗"), "the rows say they failed")
        #expect(!session.state.store!.rows.contains { $0.problem == nil }, "every count failed")
        #expect(frame.contains("could not read the rows"), "the samples pane says why")
        try Harness.press("d", on: session)
        #expect(session.state.diffScreen.failure != nil)
        #expect(View.render(session.state).text.contains("could not compare:"))
        _ = terminal
    }

    @Test func aFailedStaleSetIsMarkedOnItsRow() throws {
        let (session, terminal, dir) = try StaleStoreFixture.session("S")
        defer { try? FileManager.default.removeItem(at: dir) }
        let crop = try #require(session.state.graph.index(of: FeatureKey(string: "example/crop")))
        session.dispatch(.staleFailed(feature: crop, "database is locked", done: 1, total: 4))
        session.dispatch(.staleFinished(cancelled: false))
        #expect(session.state.message?.text.hasPrefix("stale sets: 1 feature could not be computed") == true)
        let row = try #require(View.render(session.state).text.split(separator: "\n").first { $0.contains("example/crop") })
        #expect(row.contains("✗ error"))
        _ = terminal
    }
}

/// Every screen at every size: nothing drawn outside its pane, nothing cut without "…".
@Suite struct SizeTests {
    @Test func storeWhyThenTinyTerminal() throws {
        // Was "internal error (crash)": a negative prefix in the samples pane at 40×10.
        let (session, _, dir) = try StaleStoreFixture.session("S<Tab>w")
        defer { try? FileManager.default.removeItem(at: dir) }
        for size in [Size(width: 40, height: 10), Size(width: 41, height: 11), Size(width: 1, height: 1), Size(width: 250, height: 80)] {
            session.dispatch(.resize(size))
            let frame = View.render(session.state)
            #expect(frame.size == size)
            #expect(frame.overflows == 0)
        }
    }

    @Test func everyScreenAtEverySizeFromOneByOne() throws {
        let (session, _, dir) = try StaleStoreFixture.session("S<Tab>w")
        defer { try? FileManager.default.removeItem(at: dir) }
        for keys in ["", "d", "D", "?"] {
            if !keys.isEmpty { try Harness.press("<Esc>" + keys, on: session) }
            for width in stride(from: 1, through: 130, by: 7) {
                for height in stride(from: 1, through: 45, by: 4) {
                    session.dispatch(.resize(Size(width: width, height: height)))
                    let frame = View.render(session.state)
                    #expect(frame.overflows == 0, "\(keys) at \(width)×\(height)")
                }
            }
        }
    }

    @Test func storeAt80x24KeepsColumnsApart() throws {
        let (session, terminal, dir) = try StaleStoreFixture.session("S<Tab>jw<Tab>", size: Size(width: 80, height: 24))
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(Harness.mismatch(try #require(terminal.lastFrame), golden: "store-why-80x24") == nil)
        let lines = try #require(terminal.lastFrame).text.split(separator: "\n").map(String.init)
        let face = try #require(lines.first { $0.contains("example/face") })
        #expect(face.contains("… 0 ") || face.contains("example/face_detection 0 "), "a key is cut with … and a space before the numbers: \(face)")
    }

    @Test func graphListKeepsStaleAndFieldCountsAt80x24() throws {
        let (session, _, dir) = try StaleStoreFixture.session("S<Esc>t", size: Size(width: 80, height: 24))
        defer { try? FileManager.default.removeItem(at: dir) }
        let frame = View.render(session.state)
        #expect(Harness.mismatch(frame, golden: "graph-heat-80x24") == nil)
        let crop = try #require(frame.text.split(separator: "\n").first { $0.contains("example/crop") })
        #expect(crop.contains("!3 2"), "stale count and field count: \(crop)")
    }

    @Test func longMessagesEndInAnEllipsis() throws {
        let state = try Harness.replay(":" + String(repeating: "nonsense ", count: 12) + "<Enter>", size: Size(width: 80, height: 24))
        let status = View.render(state).text.split(separator: "\n", omittingEmptySubsequences: false)[22]
        #expect(status.hasSuffix("…"), "\(status)")
    }
}
