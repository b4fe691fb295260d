import MetaxyCore

/// What a DAG drawing is made from; the layout is recomputed only when this changes.
public struct DagKey: Equatable, Sendable {
    let graph: ObjectIdentifier
    let features: [Int]
    let zoom: Int
    /// Diff glyphs in the boxes, by feature key, when the diff colours are on.
    let marks: [String: String]
}

/// The DAG screen: which features are drawn (all, or a focus ± levels), the zoom, the
/// selection and its field, the viewport, and the cached layout.
struct DagState: Sendable {
    static let zoomNames = ["keys", "keys and versions", "keys, versions and fields"]

    var selected: Int
    var field: Int?
    /// nil: the whole graph; else the feature whose neighbourhood is drawn.
    var focus: Int?
    /// Levels drawn above and below the focus; nil is all of them.
    var up: Int? = 1
    var down: Int? = 1
    var zoom = 1
    var diffColours = false
    var scrollX = 0
    var scrollY = 0
    var layout: DagLayout?
    var layoutKey: DagKey?

    /// Lines of a feature's box at a zoom level, with its diff glyph when there is one.
    static func label(graph: FeatureGraph, feature f: Int, zoom: Int, mark: String?) -> [String] {
        var lines = [(mark.map { $0 + " " } ?? "") + graph.key(f).string]
        if zoom >= 1 { lines.append("v " + graph.featureVersion(f).prefix(8)) }
        if zoom >= 2 {
            for (i, field) in graph.specs[f].fields.enumerated() {
                lines.append("· \(field.key.string) \(graph.fieldVersion(f, i).prefix(6))")
            }
        }
        return lines
    }
}
