import Foundation
import MetaxyCore
import MetaxyStore
import MetaxyTUI
import TestSupport

/// Issue "One sample through the whole pipeline": `store lookup` (what the Sample screen opens
/// with) on the demo workspace of `samples` videos, 25 features: 100 random samples, each with a
/// store opened anew as the screen does; then again while every stale set is computed on another
/// thread, as when the Store screen has just opened. `METAXY_BENCH_DEMO=DIR` keeps the workspace.
func runLookupWorkload(samples: Int) throws {
    let kept = ProcessInfo.processInfo.environment["METAXY_BENCH_DEMO"]
    let dir = kept ?? FileManager.default.temporaryDirectory.appendingPathComponent("metaxy-bench-\(UUID().uuidString)").path
    defer { if kept == nil { try? FileManager.default.removeItem(atPath: dir) } }
    var build = 0.0
    if !DemoWorkspace.isComplete(dir) {
        build = try milliseconds { try DemoWorkspace.create(at: dir, samples: samples, progress: { _ in }) }
    }
    let path = dir + "/" + DemoWorkspace.storeFile
    let graph = try GraphReference.load(dir + "/" + DemoWorkspace.pipelineFile)
    var generator = SystemRandomNumberGenerator()
    // Every kind: re-ingested (the first 1 %), taken down, new, untouched.
    let uids = (0..<100).map { _ in Int64.random(in: 1...Int64(samples + samples / 50), using: &generator) }
    func lookups() throws -> [Double] {
        try uids.map { uid in try milliseconds { _ = try MetaxyStore(path: path).lookup(sample: .int(uid), graph: graph) } }.sorted()
    }
    let quiet = try lookups()
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        _ = StoreWork.stale(store: path, graph: graph, features: Array(0..<graph.count), cancel: CancelFlag(), post: { _ in })
        done.signal()
    }
    let busy = try lookups()
    done.wait()
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    print("lookup-\(samples)  \(graph.count) features, store \(size / 1_000_000) MB" + (build > 0 ? ", built in \(fmt(build / 1000)) s" : "")
        + "; 100 lookups: median \(fmt(quiet[50])) ms, max \(fmt(quiet[99])) ms; while the stale sets compute: median \(fmt(busy[50])) ms, "
        + "max \(fmt(busy[99])) ms; peak \(fmt(peakMegabytes())) MB")
}
