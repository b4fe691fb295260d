import Foundation
import MetaxyCore
@testable import MetaxyTUI
import TerminalKit
import TestSupport
import Testing

/// The DAG screen drawn headless, and keys replayed on it.
@Suite struct DagScreenTests {
    static let graphs = ["video", "multi_upstream", "multipart_keys", "all_deps", "sort_order_traps", "quirks"]

    @Test(arguments: graphs)
    func screenAtTwoSizes(graph: String) throws {
        for size in [Size(width: 120, height: 40), Size(width: 80, height: 24)] {
            let (session, terminal) = try Harness.session(Harness.vector(graph), size: size, keys: "D")
            let frame = try #require(terminal.lastFrame)
            #expect(frame == View.render(session.state))
            #expect(Harness.mismatch(frame, golden: "dag-\(graph)-\(size.width)x\(size.height)") == nil)
        }
    }

    @Test func fieldLineageLightsUpAndDimsWhatItCannotAffect() throws {
        let (session, terminal) = try Harness.session(Harness.demo(), keys: "Dzff")
        #expect(Harness.mismatch(try #require(terminal.lastFrame), golden: "dag-field-lineage-120x40") == nil)
        let dag = try #require(session.state.dag)
        let lit = try #require(DagView.lineage(session.state, dag))
        let keys = { (s: Set<Int>) in Set(s.map { session.state.graph.key($0).string }) }
        #expect(keys(lit.features) == ["example/video", "example/crop", "example/face_detection"])
        #expect(keys(lit.unaffected) == ["example/stt"])
        #expect(session.state.message?.text == "lineage of example/video.frames")
    }

    @Test func panZoomAndSelection() throws {
        let (session, _) = try Harness.session(Harness.vector("sort_order_traps"), size: Size(width: 60, height: 20), keys: "D")
        let d0 = try #require(session.state.dag)
        #expect(d0.focus == nil, "a small graph is drawn whole")
        try Harness.press("<Home>", on: session)
        #expect(session.state.dag?.scrollX == 0 && session.state.dag?.scrollY == 0)
        try Harness.press("ll", on: session)
        #expect(session.state.dag?.scrollX == 16)
        try Harness.press("h", on: session)
        #expect(session.state.dag?.scrollX == 8)
        try Harness.press("jjjjjjjjjj", on: session)
        let layout = try #require(session.state.dag?.layout)
        #expect(session.state.dag?.scrollY == max(0, layout.height - Layout(size: session.state.size).dagArea.height), "panning stops at the edge")
        try Harness.press("z", on: session)
        #expect(session.state.dag?.zoom == 2)
        let graph = session.state.graph
        #expect(session.state.dag?.layout?.boxes.allSatisfy { $0.lines.count == 2 + graph.specs[$0.feature].fields.count } == true,
                "key, version and a line per field")
        try Harness.press("<Tab><Tab>", on: session)
        let selected = try #require(session.state.dag?.selected)
        try Harness.press("<Enter>", on: session)
        #expect(session.state.screen == .graph)
        #expect(session.state.graphScreen.selectedFeature == selected, "Enter opens the feature in the Graph screen")
    }

    @Test func focusLevels() throws {
        // video_columns... has 4 features: focus on crop, one level each way.
        let (session, _) = try Harness.session(Harness.demo(), keys: "kkkD")
        func drawn() -> [String] { (session.state.dag?.layout?.boxes.map { session.state.graph.key($0.feature).string } ?? []).sorted() }
        #expect(session.state.dag?.selected == session.state.graph.index(of: FeatureKey(string: "example/crop")))
        try Harness.press("u", on: session)
        #expect(drawn() == ["example/crop", "example/video"])
        try Harness.press("o", on: session)
        #expect(drawn() == ["example/crop", "example/face_detection", "example/video"])
        #expect(session.state.message?.text == "focus example/crop: 1 up, 1 down")
        try Harness.press("a", on: session)
        #expect(drawn().count == 4)
        try Harness.press("m", on: session)
        #expect(session.state.message?.isError == true, "diff colours need a diff")
        try Harness.press("<Esc>", on: session)
        #expect(session.state.screen == .graph)
    }

    @Test func diffColoursMarkTheBoxes() throws {
        let graphs = Fixtures.vectors.appendingPathComponent("graphs")
        let keys = ":diff \(graphs.appendingPathComponent("video.json").path) \(graphs.appendingPathComponent("video_audio_v2.json").path)<Enter>"
            + "<Esc>Dm"
        let (session, terminal) = try Harness.session(Harness.demo(), keys: keys)
        let lines = session.state.dag?.layout?.boxes.map { $0.lines[0] }.sorted() ?? []
        #expect(lines == ["example/face_detection", "~ example/crop", "~ example/stt", "~ example/video"])
        let frame = try #require(terminal.lastFrame)
        #expect(Harness.mismatch(frame, golden: "dag-diff-colours-120x40") == nil)
        #expect(frame.styleLayer.contains("~"), "changed boxes take the changed role")
    }

    @Test func bigGraphsOpenOnTheSelectionsNeighbourhood() throws {
        let graph = try FeatureGraph(specs: GraphGenerator.dag(features: 300))
        let (session, _) = try Harness.session((graph, GraphSource(label: "g", reference: nil, watchedPath: nil)), keys: "D")
        let d = try #require(session.state.dag)
        #expect(d.focus == d.selected)
        #expect((d.layout?.boxes.count ?? 0) < 300)
    }
}
