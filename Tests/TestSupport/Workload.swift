import Foundation
import MetaxyCore

/// What the store benchmarks and the store's end-to-end tests run on: metaxy's two-feature
/// workload (a root with audio and frames, a crop reading each), and dot's view of a layout.
public enum Workload {
    public static let graphYAML = """
        features:
          - {key: example/video, fields: [audio, frames]}
          - key: example/crop
            deps: [example/video]
            fields:
              - {key: audio, deps: {example/video: [audio]}}
              - {key: frames, deps: {example/video: [frames]}}
        """

    public static func graph() throws -> FeatureGraph { try GraphFileParser.graph(Array(graphYAML.utf8), file: "workload.yaml") }

    /// Edge crossings of graphviz dot's layout of `graph`; nil when dot is not installed.
    public static func dotCrossings(_ graph: FeatureGraph) -> Int? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dot")
        process.arguments = ["-Tplain"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        guard (try? process.run()) != nil else { return nil }
        input.fileHandleForWriting.write(Data(LayoutQuality.dotInput(graph).utf8))
        try? input.fileHandleForWriting.close()
        let plain = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return LayoutQuality.crossings(inDotPlain: plain)
    }
}
