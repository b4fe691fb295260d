import Foundation
import MetaxyCore
import MetaxyTUI
import TerminalKit
import TestSupport

/// The DAG screen's budget: laying out a 500-feature graph in under 200 ms; and the layout's
/// quality, its edge crossings next to graphviz dot's on the same graphs (when dot is installed).
func runDagWorkload(features: Int) throws {
    let graph = try FeatureGraph(specs: GraphGenerator.dag(features: features))
    var times: [Double] = []
    var layout: DagLayout?
    for _ in 0..<5 {
        times.append(milliseconds {
            layout = DagLayout(graph: graph, features: Array(0..<graph.count)) { [graph.key($0).string, String(graph.featureVersion($0).prefix(8))] }
        })
    }
    times.sort()

    // Panning and moving the selection over the whole drawing, headless at 120×40: update + view.
    let session = Session.headless((graph, GraphSource(label: "bench", reference: nil, watchedPath: nil)),
                                   terminal: VirtualTerminal(size: Size(width: 120, height: 40), keys: try KeyNotation.parse("Da")))
    let keys = try KeyNotation.parse(String(repeating: "lllljjjhhhkk<Tab><PageDown>", count: 20))
    var keyTimes: [Double] = []
    for key in keys { keyTimes.append(keyMilliseconds(session, key)) }
    keyTimes.sort()
    print("dag-pan-\(features)  \(keyTimes.count) keys on the whole drawing: median \(fmt(keyTimes[keyTimes.count / 2])) ms, "
        + "max \(fmt(keyTimes[keyTimes.count - 1])) ms")
    print("dag-layout-\(features)  best \(fmt(times[0])) ms, median \(fmt(times[2])) ms over 5 runs; \(layout!.width)×\(layout!.height) cells, "
        + "\(layout!.crossings) crossings; peak \(fmt(peakMegabytes())) MB")
}

/// Crossings of our layout and of `dot -Tplain` for the vector graphs and generated ones.
func runDagQuality() throws {
    let dir = ProcessInfo.processInfo.environment["VECTORS"] ?? "Tests/Fixtures/vectors/graphs"
    var cases: [(String, FeatureGraph)] = []
    for file in try FileManager.default.contentsOfDirectory(atPath: dir).filter({ $0.hasSuffix(".json") && $0 != "index.json" }).sorted() {
        cases.append((file, try GraphLoader.load(path: dir + "/" + file)))
    }
    for n in [50, 200] { cases.append(("generated-\(n)", try FeatureGraph(specs: GraphGenerator.dag(features: n, seed: 7)))) }
    for (name, graph) in cases {
        let ours = DagLayout(graph: graph, features: Array(0..<graph.count)) { [graph.key($0).string, String(graph.featureVersion($0).prefix(8))] }
        let dot = Workload.dotCrossings(graph)
        print("\(name.padding(toLength: 28, withPad: " ", startingAt: 0)) ours \(ours.crossings)  dot \(dot.map(String.init) ?? "n/a (graphviz not installed)")")
    }
}
