import Foundation
import MetaxyCore
@testable import MetaxyTUI
import TerminalKit
import TestSupport
import Testing

/// The README's "Five minutes with the demo", key by key at 80×24, on a demo workspace of 2,000
/// samples (the README's counts are for the default 100,000; the story and every screen are the
/// same, the counts a fiftieth). Each step has a golden, and says what the README says it shows.
@Suite(.serialized) struct TourTests {
    static let demo: String = {
        let dir = (try! Fixtures.temporaryDirectory()).appendingPathComponent("demo").path
        try! DemoWorkspace.create(at: dir, samples: 2_000, progress: { _ in })
        return dir
    }()

    static let size = Size(width: 80, height: 24)

    func session(_ keys: String) throws -> (Session, String) {
        let (session, terminal) = try Harness.session(GraphOpening.openDemo(Self.demo), size: Self.size, keys: keys)
        return (session, try #require(terminal.lastFrame).text)
    }

    func expectGolden(_ keys: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> (Session, String) {
        let (session, text) = try session(keys)
        #expect(Harness.mismatch(View.render(session.state), golden: "tour-" + name) == nil, sourceLocation: sourceLocation)
        return (session, text)
    }

    @Test func step1TheGraph() throws {
        let (start, text) = try expectGolden("", "1-start-80x24")
        #expect(start.state.graphScreen.selectedRow?.path == "media/video")
        #expect(text.contains("demo: pipeline.yaml"))
        let (goto, detail) = try expectGolden(":goto audio/transcript<Enter>", "1-goto-80x24")
        #expect(goto.state.graphScreen.selectedRow?.path == "audio/transcript")
        for part in ["text", "words", "Feature deps", "media/audio_track", "Downstream"] { #expect(detail.contains(part), "\(part)") }
    }

    @Test func step2AFieldsLineage() throws {
        let (text, screen) = try expectGolden(":goto audio/transcript<Enter><Tab>", "2-text-80x24")
        #expect(text.state.graphScreen.selectedField == 0, "Tab lands on the first field, text")
        let lineage = FeatureDetail.lines(graph: text.state.graph, feature: text.state.graphScreen.selectedFeature!, selectedField: 0,
                                          fullVersions: false).map { $0.spans.map(\.text).joined() }
        #expect(lineage.contains("  feeds  (8)"), "text feeds eight fields")
        #expect(lineage.contains { $0.contains("training/dataset") })
        #expect(screen.contains("Lineage of text") || screen.contains("╭ 2 audio/transcript"))
        let (frames, _) = try expectGolden(":goto media/frames<Enter><Tab>j", "2-timestamps-80x24")
        let g = frames.state.graphScreen
        #expect(g.selectedField == 1)
        let lines = g.detailLines.map { $0.spans.map(\.text).joined() }
        #expect(lines.contains("  feeds  no downstream field"))
        #expect(lines.contains("  cannot affect  (16)"))
        // Enter on one of them jumps there; [ comes back to timestamps.
        let targets = GraphScreen.selectable(g.detailLines)
        let first = try #require(targets.firstIndex { lines[$0].hasPrefix("    ") && g.detailLines[$0].target.map { if case .feature = $0 { true } else { false } } == true })
        let (back, _) = try session(":goto media/frames<Enter><Tab>" + String(repeating: "j", count: first) + "<Enter>[")
        #expect(back.state.graphScreen.selectedRow?.path == "media/frames")
        #expect(back.state.graphScreen.selectedField == 1, "back on timestamps")
    }

    @Test func step3TheDag() throws {
        let (dag, _) = try expectGolden("D", "3-dag-80x24")
        #expect(dag.state.screen == .dag)
        let (lit, _) = try expectGolden(":goto audio/transcript<Enter>Df", "3-dag-field-80x24")
        #expect(lit.state.dag?.field == 0)
        #expect(try session("Dzb").0.state.dag?.zoom == 2)
        #expect(try session("DD").0.state.screen == .graph, "D again returns")
    }

    @Test func step4WhatChanged() throws {
        let (diff, text) = try expectGolden("d", "4-diff-80x24")
        let d = try #require(diff.state.diffScreen.diff)
        #expect(d.diff.features.filter { $0.status == .changed }.map(\.key) == ["media/frames"])
        #expect(d.diff.features.filter { $0.status == .added }.map(\.key) == ["quality/nsfw"])
        #expect(text.contains("media/frames"))
        let why = DiffView.whyLines(d, full: false).map { $0.spans.map(\.text).joined() }
        #expect(why.contains("Downstream and unaffected  (15)"))
        // p: OLD starts on snapshot 2 (the one before the file, snapshot 3); j to snapshot 1, Enter, Enter.
        let (picked, _) = try expectGolden("dp", "4-picker-80x24")
        #expect(picked.state.picker?.choices[picked.state.picker!.cursor].label == "snapshot 2 of 3")
        let (caption, _) = try expectGolden("dpj<Enter><Enter>c" + String(repeating: "j", count: 0), "4-changes-80x24")
        let rows = try #require(caption.state.diffScreen.diff)
        #expect(rows.input.oldLabel.hasSuffix("@" + DemoWorkspaceGraphs.version(1).prefix(8)))
        #expect(rows.input.newLabel.hasSuffix("@" + DemoWorkspaceGraphs.version(2).prefix(8)))
        let target = try #require(rows.rows.firstIndex { r in
            let f = rows.diff.features[r.feature]
            return f.key == "text/captions" && r.field.map { f.fields[$0].key } == "caption"
        })
        let (why2, _) = try expectGolden("dpj<Enter><Enter>c" + String(repeating: "j", count: target - rows.cursor), "4-caption-why-80x24")
        let lines = DiffView.whyLines(try #require(why2.state.diffScreen.diff), full: false).map { $0.spans.map(\.text).joined() }
        #expect(lines.contains { $0.contains("audio/transcript.text: code_version 1 → 2") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("Timeline") })
    }

    @Test func step5WhatIsStale() throws {
        let (store, text) = try expectGolden("S", "5-store-80x24")
        func stale(_ key: String) -> FeatureStatus? {
            store.state.graph.index(of: FeatureKey(string: key)).flatMap { store.state.store?.status(of: $0) }
        }
        let audio = try #require(stale("media/audio_track"))
        #expect([audio.added.count, audio.changed.count, audio.removed.count] as [Int] == [40, 20, 10], "new, re-ingested, taken down")
        #expect(stale("audio/transcript")?.added.count == 600, "the part of the upgrade not re-run yet")
        #expect(stale("media/keyframes")?.changed.count == 20, "the re-ingested frames one feature further")
        #expect(text.contains("media/audio_tra"))
        let row = try #require(store.state.store?.rows.firstIndex { store.state.graph.key($0.feature).string == "media/audio_track" })
        let (why, _) = try expectGolden("S" + String(repeating: "j", count: row) + "<Tab>fw", "5-why-80x24")
        #expect(why.state.store?.filter == .changed)
        #expect(why.state.store?.why?.fields.contains { $0.isStale } == true)
        let (up, _) = try session("S" + String(repeating: "j", count: row) + "<Tab>fwu")
        #expect(up.state.store?.selected.map { up.state.graph.key($0.feature).string } == "media/video", "u: the same sample upstream")
    }

    @Test func step6OneSampleEverywhere() throws {
        let (store, _) = try session("S")
        let row = try #require(store.state.store?.rows.firstIndex { store.state.graph.key($0.feature).string == "media/audio_track" })
        let keys = "S" + String(repeating: "j", count: row) + "<Tab>fwL"
        let (sample, text) = try expectGolden(keys, "6-sample-80x24")
        #expect(sample.state.sampleScreen?.uid == .int(1), "video 1, the first changed one")
        #expect(sample.state.sampleScreen?.selected?.key.string == "media/audio_track")
        #expect(text.contains("waveform ←") && text.contains("◆"))
        let (why, _) = try expectGolden(keys + "<Enter>", "6-sample-why-80x24")
        #expect(why.state.sampleScreen?.whyOpen == true)
        let (next, _) = try session(keys + "n")
        #expect(next.state.sampleScreen?.selected?.key.string == "audio/diarization")
        let (new, _) = try session(":sample 2040<Enter>")
        #expect(new.state.sampleScreen?.lookup?.features.first { $0.key.string == "media/audio_track" }?.state == .added)
    }

    @Test func step7Help() throws {
        let (help, text) = try expectGolden("?", "7-help-80x24")
        #expect(help.state.help != nil)
        #expect(text.contains("▸ Graph screen — this screen"))
        #expect(try session("?emb").0.state.help?.filter == "emb", "filtered as you type")
        #expect(try session("q").0.state.running == false)
    }
}

/// The demo's snapshot versions, from its own files.
enum DemoWorkspaceGraphs {
    static func version(_ n: Int) -> String {
        (try? GraphLoader.load(path: TourTests.demo + "/snapshots/" + DemoPipeline.snapshots[n - 1].file).snapshotVersion) ?? ""
    }
}
