import Foundation
import MetaxyCore
import MetaxyStore

/// Issue "SQLite metadata store", item 8: metaxy's own workload on `samples` samples. Root
/// `example/video` (audio, frames), `example/crop` reading them; (a) write the roots, (b) status
/// of crop (all added), (c) write the crop rows, (d) change 1 % of the roots and delete 1 %,
/// (e) status again. Each step's time; peak memory for the whole.
func runStoreWorkload(samples: Int) throws {
    let graph = try GraphFileParser.graph(Array("""
        features:
          - {key: example/video, fields: [audio, frames]}
          - key: example/crop
            deps: [example/video]
            fields:
              - {key: audio, deps: {example/video: [audio]}}
              - {key: frames, deps: {example/video: [frames]}}
        """.utf8), file: "workload.yaml")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("metaxy-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("store.db").path
    func roots(_ range: Range<Int>, suffix: String) -> [UInt8] {
        Array(range.map { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\(suffix)\", \"frames\": \"f\($0)\(suffix)\"}}\n" }.joined().utf8)
    }
    let store = try MetaxyStore(path: path, readOnly: false, create: true)
    var steps: [(String, Double)] = []
    func step(_ name: String, _ body: () throws -> Void) rethrows {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        steps.append((name, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
    }
    let crop = FeatureKey(string: "example/crop"), video = FeatureKey(string: "example/video")
    let rootRows = roots(0..<samples, suffix: "")
    try step("(a) write roots") { try store.write(feature: video, graph: graph, jsonl: rootRows, source: "roots") }
    var first: FeatureStatus?
    try step("(b) status crop") { first = try store.status(graph: graph, feature: crop, algorithm: .xxhash64)[0] }
    let cropRows = Array((0..<samples).map { "{\"sample_uid\": \($0)}\n" }.joined().utf8)
    try step("(c) write crop") { try store.write(feature: crop, graph: graph, jsonl: cropRows, source: "crop", algorithm: .xxhash64) }
    let changed = roots(0..<(samples / 100), suffix: "-v2"), kept = samples / 50
    try step("(d) change 1 %, delete 1 %") {
        // Rewrite the roots without samples [1 %, 2 %) (replace), then append new versions of [0, 1 %).
        try store.write(feature: video, graph: graph, jsonl: roots(kept..<samples, suffix: ""), source: "roots", replace: true)
        try store.write(feature: video, graph: graph, jsonl: changed, source: "changed")
    }
    var second: FeatureStatus?
    try step("(e) status crop") { second = try store.status(graph: graph, feature: crop, algorithm: .xxhash64)[0] }
    let total = steps.reduce(0) { $0 + $1.1 }
    print("store-\(samples)  " + steps.map { "\($0.0) \(String(format: "%.2f", $0.1)) s" }.joined(separator: ", ")
        + String(format: "; total %.2f s; peak %.0f MB", total, peakMegabytes())
        + "; (b) added \(first?.added.count ?? -1), (e) changed \(second?.changed.count ?? -1) removed \(second?.removed.count ?? -1)")
}
