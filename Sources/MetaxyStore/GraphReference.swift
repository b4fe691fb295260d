import Foundation
import MetaxyCore

/// What every command that takes a graph accepts (DESIGN §3): a graph file, a store (its latest
/// snapshot), or `STORE@SNAPSHOT` with `latest` or a unique prefix of a snapshot version.
public enum GraphReference {
    public static func load(_ reference: String) throws -> FeatureGraph {
        if FileManager.default.fileExists(atPath: reference) {
            return MetaxyStore.looksLikeSQLite(reference)
                ? try MetaxyStore(path: reference).graph(snapshot: "latest")
                : try GraphLoader.load(path: reference)
        }
        if let at = reference.lastIndex(of: "@") {
            let path = String(reference[..<at]), snapshot = String(reference[reference.index(after: at)...])
            if FileManager.default.fileExists(atPath: path) {
                return try MetaxyStore(path: path).graph(snapshot: snapshot.isEmpty ? "latest" : snapshot)
            }
        }
        return try GraphLoader.load(path: reference)
    }
}
