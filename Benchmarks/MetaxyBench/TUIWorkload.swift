import Foundation
import MetaxyCore
import MetaxyTUI
import TerminalKit
import TestSupport

/// The TUI budgets (DESIGN §6): the first frame of a big graph, opened from its file, under
/// 300 ms; every keypress (update + view) under 16 ms. Headless, on a 120×40 virtual terminal.
func runTUIWorkload(features: Int) throws {
    let specs = GraphGenerator.dag(features: features)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("metaxy-bench-tui-\(features).json")
    try GraphGenerator.json(specs).write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let catalog = ThemeLocations.catalog()
    let size = Size(width: 120, height: 40)

    var firstFrames: [Double] = [], screenOnly: [Double] = []
    var session: Session?
    for _ in 0..<5 {
        session = nil
        var graphMs = 0.0
        let total = try milliseconds {
            var opened: (FeatureGraph, GraphSource)?
            graphMs = try milliseconds { opened = try GraphOpening.open(file.path) }
            session = Session.headless(opened!, terminal: VirtualTerminal(size: size), catalog: catalog)
        }
        firstFrames.append(total)
        screenOnly.append(total - graphMs)
    }
    firstFrames.sort()
    screenOnly.sort()

    let script = "jj<PageDown><C-d>Gg<End>k<Tab>jjj<Enter>[<Tab>tj<PageDown>t/feature_12<Enter>nnN<Esc>-jl=?q?pa<BS><Esc><Esc>"
        + "hlvv:goto group15/feature_500<Enter><Tab>jjjjj<Esc>TT:theme dark<Enter>/group3 7<Enter><Esc><Home>"
    let cycle = try KeyNotation.parse(script)
    var times: [Double] = []
    var slowest: [String: Double] = [:]
    guard let session else { return }
    while times.count < 1000 {
        for key in cycle where times.count < 1000 {
            let t = keyMilliseconds(session, key)
            times.append(t)
            let name = KeyNotation.display(key)
            slowest[name] = max(slowest[name] ?? 0, t)
        }
    }
    times.sort()
    let worst = slowest.sorted { $0.value > $1.value }.prefix(5).map { "\($0.key) \(fmt($0.value))" }.joined(separator: ", ")
    let over = times.filter { $0 >= 16 }.count
    print("tui-\(features)  first frame from the file best \(fmt(firstFrames[0])) ms, median \(fmt(firstFrames[2])) ms "
        + "(of which screen: \(fmt(screenOnly[0])) / \(fmt(screenOnly[2])) ms) over 5 runs; "
        + "1000 keys: median \(fmt(times[500])) ms, p99 \(fmt(times[990])) ms, max \(fmt(times[999])) ms, \(over) over 16 ms (slowest keys: \(worst)); "
        + "peak \(fmt(peakMegabytes())) MB")
}

/// `graph diff` budget: two 10,000-feature graphs compared in under 300 ms (both graphs already
/// loaded); then the JSON with every cause written. Two edits: one root field's code version
/// bumped, and one field in every hundred features bumped (whose causes pile up downstream).
func runDiffWorkload(features: Int) throws {
    let before = GraphGenerator.dag(features: features)
    let old = try FeatureGraph(specs: before)
    for (name, step) in [("one root field", features), ("1 % of features", 100)] {
        var after = before
        for i in stride(from: 0, to: after.count, by: step) { after[i].fields[0].codeVersion += 1 }
        let new = try FeatureGraph(specs: after)
        var engine: [Double] = [], json: [Double] = []
        var diff: GraphDiff?, bytes = 0
        for _ in 0..<5 {
            engine.append(milliseconds { diff = GraphDiff(old: old, new: new) })
            json.append(milliseconds { bytes = diff!.json().pretty().utf8.count })
        }
        engine.sort()
        json.sort()
        let causes = diff!.features.reduce(0) { total, f in total + f.fields.reduce(0) { $0 + diff!.causes(f, $1).count } }
        print("diff-\(features) (\(name))  diff best \(fmt(engine[0])) ms, median \(fmt(engine[2])) ms; JSON best \(fmt(json[0])) ms, "
            + "median \(fmt(json[2])) ms (\(fmt(Double(bytes) / 1e6)) MB, \(causes) causes); \(diff!.summary); peak \(fmt(peakMegabytes())) MB")
    }
}
