import Foundation
import MetaxyCore
import MetaxyStore
import TestSupport

/// Issue "Stale sets at the speed of the disk", items 3 and 5: `store status` as a whole process
/// (the release `metaxy-tui` beside this executable, under `/usr/bin/time`) on metaxy's workload
/// of `samples` root and crop rows: cold without the cache, cold filling it, with nothing
/// changed, and after appending 1 % changed roots (three rounds). Each incremental answer is
/// checked against a cold one. Best and median of three where a step repeats.
func runIncrementalWorkload(samples: Int) throws {
    let graph = try Workload.graph()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("metaxy-bench-incremental-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("store.db").path, graphFile = dir.appendingPathComponent("graph.yaml")
    try Workload.graphYAML.write(to: graphFile, atomically: true, encoding: .utf8)
    let video = FeatureKey(string: "example/video"), crop = FeatureKey(string: "example/crop")
    func roots(_ range: Range<Int>, suffix: String) -> [UInt8] {
        Array(range.map { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\(suffix)\", \"frames\": \"f\($0)\(suffix)\"}}\n" }.joined().utf8)
    }
    do {
        let store = try MetaxyStore(path: path, readOnly: false, create: true)
        // Written in slices of a million, as a pipeline writes: one JSONL buffer of 10M rows would
        // be gigabytes.
        for start in stride(from: 0, to: samples, by: 1_000_000) {
            let range = start..<min(samples, start + 1_000_000)
            try store.write(feature: video, graph: graph, jsonl: roots(range, suffix: ""), source: "roots")
            try store.write(feature: crop, graph: graph, jsonl: Array(range.map { "{\"sample_uid\": \($0)}\n" }.joined().utf8),
                            source: "crop", algorithm: .xxhash64)
        }
    }
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("metaxy-tui")
    let environment = ["XDG_CACHE_HOME": dir.appendingPathComponent("cache").path]
    /// One timed `store status`; with `check`, its answer must be the cold one, byte for byte.
    func status(_ extra: [String] = [], check: Bool = false) throws -> (seconds: Double, megabytes: Double) {
        let command = [binary.path, "store", "status", path, "--graph", graphFile.path, "--format", "json"] + extra
        let run = try timed(command, in: dir, environment: environment)
        guard run.status == 0 else { throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "store status failed: \(run.tail)"]) }
        if check {
            let cold = try Binary.run(binary, Array(command.dropFirst()) + ["--no-cache"], environment: environment, directory: dir).stdout
            guard run.output == cold else {
                throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "the cached status differs from the cold one:\n\(run.output)\n\(cold)"])
            }
        }
        return (run.seconds, run.megabytes)
    }
    let floor = try Floors.scan(store: path, graph: graph, feature: crop)
    let floorSeconds = Double(floor.components.attoseconds) / 1e18 + Double(floor.components.seconds)
    let cold = try (0..<3).map { _ in try status(["--no-cache"]) }
    let filling = try status()
    // Twice first: the status just after a write cannot trust the files' times (racy), the next can.
    _ = try status()
    let unchanged = try (0..<3).map { _ in try status(check: true) }
    var appended: [(seconds: Double, megabytes: Double)] = []
    let step = max(1, samples / 100)
    for round in 0..<3 {
        let store = try MetaxyStore(path: path, readOnly: false)
        try store.write(feature: video, graph: graph, jsonl: roots((round * step)..<((round + 1) * step), suffix: "-v\(round + 2)"), source: "changed")
        appended.append(try status(check: true))
    }
    func line(_ name: String, _ runs: [(seconds: Double, megabytes: Double)]) -> String {
        let times = runs.map(\.seconds).sorted()
        return "\(name) best \(String(format: "%.3f", times[0])) s, median \(String(format: "%.3f", times[times.count / 2])) s, peak \(fmt(runs.map(\.megabytes).max()!)) MB"
    }
    print("status-\(samples) (whole process; \(samples) video + crop rows; floor, a scan of what crop's status reads: \(String(format: "%.2f", floorSeconds)) s): "
        + [line("cold --no-cache", cold) + String(format: " (%.2f× floor)", cold.map(\.seconds).sorted()[1] / floorSeconds),
           line("cold filling the cache", [filling]), line("nothing changed", unchanged),
           line("after appending \(step) changed roots", appended)].joined(separator: "; "))
}
