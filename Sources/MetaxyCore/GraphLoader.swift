import Foundation

/// Reads a graph file from disk: the one place the core touches the file system.
public enum GraphLoader {
    public static func load(path: String) throws(GraphError) -> FeatureGraph {
        try GraphFileParser.graph(try read(path), file: path)
    }

    public static func read(_ path: String) throws(GraphError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GraphError([GraphProblem(file: path, location: .unknown,
                                           message: "no such file; give the path of a graph file (YAML or JSON)")])
        }
        guard !isDirectory.boolValue else {
            throw GraphError([GraphProblem(file: path, location: .unknown,
                                           message: "is a directory; give the path of a graph file (YAML or JSON)")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GraphError([GraphProblem(file: path, location: .unknown,
                                           message: "cannot be read; check its permissions")])
        }
        return [UInt8](data)
    }
}
