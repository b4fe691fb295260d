import Foundation
import MetaxyCore
import MetaxyStore

/// What `metaxy-tui [GRAPH]` and `screenshot` open: a graph file, a store or `STORE@SNAPSHOT`,
/// or the bundled example when nothing is named.
public enum GraphOpening {
    public static func open(_ reference: String?) throws -> (FeatureGraph, GraphSource) {
        guard let reference else {
            return (try DemoGraph.graph(), GraphSource(label: DemoGraph.name, reference: nil, watchedPath: nil))
        }
        let graph = try GraphReference.load(reference)
        let isFile = FileManager.default.fileExists(atPath: reference) && !MetaxyStore.looksLikeSQLite(reference)
        let label = URL(fileURLWithPath: reference).lastPathComponent
        return (graph, GraphSource(label: label, reference: reference, watchedPath: isFile ? reference : nil))
    }

    public static let loader: @Sendable (String) throws -> FeatureGraph = { try GraphReference.load($0) }
}
