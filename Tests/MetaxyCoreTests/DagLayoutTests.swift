import Foundation
@testable import MetaxyCore
import TestSupport
import Testing

@Suite struct DagLayoutTests {
    func layout(_ graph: FeatureGraph) -> DagLayout {
        DagLayout(graph: graph, features: Array(0..<graph.count)) { [graph.key($0).string, String(graph.featureVersion($0).prefix(8))] }
    }

    @Test(arguments: Fixtures.graphFiles)
    func boxesDoNotOverlapAndEveryEdgeEndsInAnArrow(file: URL) throws {
        let graph = try GraphLoader.load(path: file.path)
        let drawing = layout(graph)
        #expect(drawing.boxes.count == graph.count)
        for (i, a) in drawing.boxes.enumerated() {
            for b in drawing.boxes[(i + 1)...] {
                let apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
                #expect(apart, "\(graph.key(a.feature)) and \(graph.key(b.feature)) overlap")
            }
        }
        // One arrowhead on top of each box that has deps, right above its centre.
        for box in drawing.boxes where !graph.upstream[box.feature].isEmpty {
            let cell = (box.y - 1) * drawing.width + box.x + (box.width - 1) / 2
            #expect(drawing.edgeCells.bits[cell] & 16 != 0, "\(graph.key(box.feature)) has no ▼")
        }
        // Dependencies are drawn above what depends on them.
        for edge in drawing.edges {
            #expect(drawing.boxes[drawing.boxOfFeature[edge.from]!].y < drawing.boxes[drawing.boxOfFeature[edge.to]!].y)
        }
    }

    /// Layout quality: crossings at most 1.2× graphviz dot's on the public graphs and generated
    /// ones of 50 and 200 features (dot installed by Scripts/test.sh).
    @Test(arguments: [0, 50, 200])
    func crossingsWithinAFifthOfGraphvizDot(generated: Int) throws {
        let graphs = generated == 0 ? try Fixtures.graphFiles.map { try GraphLoader.load(path: $0.path) }
            : [try FeatureGraph(specs: GraphGenerator.dag(features: generated, seed: 7))]
        for graph in graphs {
            let ours = layout(graph).crossings
            let dot = try #require(Workload.dotCrossings(graph), "graphviz dot must be installed (Scripts/test.sh installs it)")
            #expect(Double(ours) <= 1.2 * Double(dot), "\(generated): ours \(ours), dot \(dot)")
        }
    }

    @Test func crossingsAreCountedAlikeForDotAndOurs() {
        // Two edges that swap sides between ranks cross once; a shared endpoint does not.
        let plain = """
            graph 1 2 2
            node a 0 2 1 1 a solid box black lightgrey
            node b 1 2 1 1 b solid box black lightgrey
            node c 0 0 1 1 c solid box black lightgrey
            node d 1 0 1 1 d solid box black lightgrey
            edge a d 2 0 2 1 0 solid black
            edge b c 2 1 2 0 0 solid black
            edge a c 2 0 2 0 0 solid black
            stop
            """
        #expect(LayoutQuality.crossings(inDotPlain: plain) == 1)
    }
}
