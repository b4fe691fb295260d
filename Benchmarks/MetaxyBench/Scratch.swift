import Foundation
import MetaxyCore
func scratch() {
    let specs = GraphGenerator.dag(features: Int(ProcessInfo.processInfo.environment["N"] ?? "2000")!)
    let bytes = Array(GraphGenerator.json(specs).utf8)
    _ = try! GraphFileParser.graph(bytes, file: "x.json")
}
