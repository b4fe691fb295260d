import Foundation
import MetaxyCore
@testable import MetaxyStore
@testable import MetaxyTUI
import TerminalKit
import TestSupport
import Testing

/// The Sample screen on the demo workspace (2,000 videos; video 1 re-ingested).
@Suite(.serialized) struct SampleScreenTests {
    /// From the Store screen: down to media/audio_track (the 10th feature by key), Tab to its
    /// rows, L on the first row: sample 1.
    static let fromStore = "S" + String(repeating: "j", count: 9) + "<Tab>L"

    func session(_ keys: String, size: Size) throws -> (Session, VirtualTerminal) {
        let dir = try SampleLookupTests.workspace.get()
        return try Harness.session(GraphOpening.open(dir + "/pipeline.yaml", store: dir + "/store.db"), size: size, keys: keys)
    }

    @Test func lOnAStoredSampleOpensItInEveryFeature() throws {
        for size in [Size(width: 120, height: 40), Size(width: 80, height: 24)] {
            let (session, terminal) = try session(Self.fromStore, size: size)
            let s = try #require(session.state.sampleScreen)
            #expect(session.state.screen == .sample && s.uid == .int(1) && s.from == .store)
            #expect(s.selected?.key.string == "media/audio_track", "the cursor starts on the first stale feature")
            let frame = try #require(terminal.lastFrame)
            #expect(Harness.mismatch(frame, golden: "sample-\(size.width)x\(size.height)") == nil)
            #expect(frame.text.contains(size.width == 120 ? "◆ read by media/audio_track" : "◆ re…"), "the feature a change came in through is marked")
        }
    }

    @Test func enterShowsWhyAndNStepsDownstream() throws {
        for size in [Size(width: 120, height: 40), Size(width: 80, height: 24)] {
            let (session, terminal) = try session(Self.fromStore + "<Enter>", size: size)
            #expect(session.state.sampleScreen?.whyOpen == true)
            #expect(Harness.mismatch(try #require(terminal.lastFrame), golden: "sample-why-\(size.width)x\(size.height)") == nil)
            try Harness.press("n", on: session)
            #expect(session.state.sampleScreen?.selected?.key.string == "audio/diarization", "next stale in dependency order")
            // No stale field here: u goes to the first feature it depends on.
            try Harness.press("u", on: session)
            #expect(session.state.sampleScreen?.selected?.key.string == "media/audio_track")
            try Harness.press("jjN", on: session)
            #expect(session.state.sampleScreen?.selected?.key.string == "media/audio_track")
            try Harness.press("N", on: session)
            #expect(session.state.message?.text == "no stale feature before media/audio_track in dependency order for sample 1")
            try Harness.press("uu", on: session)
            #expect(session.state.sampleScreen?.selected?.key.string == "media/video", "u: where waveform's change came from")
            #expect(session.state.message?.text == "media/video is a root: it depends on no feature")
            try Harness.press("<Esc><Esc>", on: session)
            #expect(session.state.screen == .store, "Esc closes why, then goes back")
        }
    }

    @Test func theCommandLineOpensAnySample() throws {
        let (new, _) = try session(":sample 2001<Enter>", size: Size(width: 120, height: 40))
        let lookup = try #require(new.state.sampleScreen?.lookup)
        #expect(lookup.uid == .int(2001) && lookup.features.filter { $0.state == .added }.map(\.key.string) == ["media/audio_track", "media/frames"])
        let (unknown, _) = try session(":sample nope<Enter>", size: Size(width: 120, height: 40))
        #expect(unknown.state.sampleScreen?.lookup?.features.allSatisfy { $0.state == .missing } == true)
        let (noStore, _) = try Harness.session(Harness.vector("video"), keys: ":sample 1<Enter>")
        #expect(noStore.state.screen == .graph && noStore.state.message?.isError == true)
    }

    /// The real binary at a real terminal: the colours come out as escapes.
    @Test func inTmux() throws {
        let dir = try SampleLookupTests.workspace.get()
        let tmux = try Tmux(width: 120, height: 40)
        tmux.run("\(Binary.url.path) \(dir)/pipeline.yaml --store \(dir)/store.db")
        #expect(tmux.wait(forText: "S Store") != nil)
        tmux.send("S")
        #expect(tmux.wait(forText: "stale sets computed") != nil)
        for _ in 0..<9 { tmux.send("j") }
        tmux.send("Tab")
        #expect(tmux.wait { $0.contains("waveform") } != nil)
        tmux.send("L")
        let screen = try #require(tmux.wait(forText: "stale in 12 features"), "\(tmux.capture())")
        #expect(screen.contains("~ media/audio_track      changed"))
        let colours = tmux.capture(escapes: true)
        let changedLine = try #require(colours.split(separator: "\n").first { $0.contains("waveform ←") })
        #expect(changedLine.contains("\u{1B}["), "states are coloured")
        tmux.send("Enter")
        #expect(tmux.wait(forText: "why media/audio_track sample 1") != nil)
        tmux.send("n")
        #expect(tmux.wait(forText: "╭ audio/diarization") != nil)
        tmux.send("q")
    }
}

@Suite struct SampleScreenEdgeTests {
    @Test func anEmptyGraphWithAStoreTakesEveryKey() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = dir.appendingPathComponent("empty.yaml")
        try "features: []\n".write(to: graph, atomically: true, encoding: .utf8)
        let store = try StaleStoreFixture.make(in: dir)
        let (session, terminal) = try Harness.session(GraphOpening.open(graph.path, store: store), keys: ":sample 1<Enter>nNuwjk<Enter>G<Esc>")
        #expect(session.state.sampleScreen?.lookup?.features.isEmpty == true)
        #expect(terminal.lastFrame != nil)
    }

    @Test func onlyTheLastLookupsAnswerIsTaken() throws {
        let (session, _) = try Harness.session(Harness.vector("video"))
        var state = session.state
        state.source = GraphSource(label: "s", reference: nil, watchedPath: nil, store: "/nonexistent.db")
        let graph = state.graph
        let first = state.openSample(.int(1)), second = state.openSample(.int(1))
        guard case .lookupSample(_, let old)? = first.first, case .lookupSample(_, let new)? = second.first else {
            Issue.record("no lookups asked: \(first) \(second)")
            return
        }
        let answer = SampleLookup(graph: graph, uid: .int(1), algorithm: .xxhash64, rows: [:])
        _ = Update.apply(.sampleLookedUp(answer, request: old), to: &state)
        #expect(state.sampleScreen?.lookup == nil, "the answer to an earlier lookup (another store or graph) is dropped")
        _ = Update.apply(.sampleLookedUp(answer, request: new), to: &state)
        #expect(state.sampleScreen?.lookup != nil)
    }

    @Test func typedIdsKeepTheirType() {
        #expect(SampleUID(argument: "42") == .int(42) && SampleUID(argument: "-5") == .int(-5))
        #expect(SampleUID(argument: "007") == .string("007") && SampleUID(argument: "+1") == .string("+1"))
        #expect(SampleUID(argument: "video-7") == .string("video-7"))
    }
}
