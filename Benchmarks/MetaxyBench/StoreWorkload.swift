import Foundation
import MetaxyCore
import MetaxyStore
import MetaxyTUI
import TerminalKit
import TestSupport

/// Issue "SQLite metadata store", item 8: metaxy's own workload on `samples` samples. Root
/// `example/video` (audio, frames), `example/crop` reading them; (a) write the roots, (b) status
/// of crop (all added), (c) write the crop rows, (d) change 1 % of the roots and delete 1 %,
/// (e) status again. Each step's time beside its floor, what SQLite itself takes for the same rows
/// (`Floors`: a copy of the rows written, a scan of the rows read) and the ratio; peak memory.
///
/// With `server` (a `postgresql://` URL, `store-pg-N` reads it from METAXY_BENCH_PG), the same on
/// PostgreSQL, in a new schema (left for a look afterwards); the floors are then the server's own.
func runStoreWorkload(samples: Int, server: String? = nil) throws {
    let graph = try Workload.graph()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("metaxy-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let schema = "bench_" + UUID().uuidString.prefix(8).lowercased()
    let path = server.map { $0 + ($0.contains("?") ? "&" : "?") + "schema=" + schema } ?? dir.appendingPathComponent("store.db").path
    func roots(_ range: Range<Int>, suffix: String) -> [UInt8] {
        Array(range.map { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\(suffix)\", \"frames\": \"f\($0)\(suffix)\"}}\n" }.joined().utf8)
    }
    let store = try MetaxyStore(path: path, readOnly: false, create: true)
    var steps: [(name: String, seconds: Double, floor: Double)] = []
    let crop = FeatureKey(string: "example/crop"), video = FeatureKey(string: "example/video")
    /// A write's floor copies the table it wrote (every row in it was written by the step); a
    /// status's scans what it read.
    func step(_ name: String, writes: FeatureKey? = nil, _ body: () throws -> Void) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let floor = try writes.map { try Floors.copy(store: path, feature: $0) } ?? Floors.scan(store: path, graph: graph, feature: crop)
        steps.append((name, seconds, Double(floor.components.attoseconds) / 1e18 + Double(floor.components.seconds)))
    }
    let rootRows = roots(0..<samples, suffix: "")
    try step("(a) write roots", writes: video) { try store.write(feature: video, graph: graph, jsonl: rootRows, source: "roots") }
    var first: FeatureStatus?
    try step("(b) status crop") { first = try store.status(graph: graph, feature: crop, algorithm: .xxhash64)[0] }
    let cropRows = Array((0..<samples).map { "{\"sample_uid\": \($0)}\n" }.joined().utf8)
    try step("(c) write crop", writes: crop) { try store.write(feature: crop, graph: graph, jsonl: cropRows, source: "crop", algorithm: .xxhash64) }
    // The rows are made before the clock starts, as for the other steps.
    let changed = roots(0..<(samples / 100), suffix: "-v2"), kept = roots((samples / 50)..<samples, suffix: "")
    try step("(d) change 1 %, delete 1 %", writes: video) {
        // Rewrite the roots without samples [1 %, 2 %) (replace), then append new versions of [0, 1 %).
        try store.write(feature: video, graph: graph, jsonl: kept, source: "roots", replace: true)
        try store.write(feature: video, graph: graph, jsonl: changed, source: "changed")
    }
    var second: FeatureStatus?
    try step("(e) status crop") { second = try store.status(graph: graph, feature: crop, algorithm: .xxhash64)[0] }
    let total = steps.reduce(0) { $0 + $1.seconds }
    print("store-\(server == nil ? "" : "pg-")\(samples)  " + steps.map { "\($0.name) \(String(format: "%.2f s (floor %.2f s, %.2f×)", $0.seconds, $0.floor, $0.seconds / $0.floor))" }
        .joined(separator: ", ")
        + String(format: "; total %.2f s; peak %.0f MB", total, peakMegabytes())
        + "; (b) added \(first?.added.count ?? -1), (e) changed \(second?.changed.count ?? -1) removed \(second?.removed.count ?? -1)")
}

/// The Store screen's budgets on a store of `samples` root and crop rows: the first page after
/// launch (open the store's graph, the feature counts, the first page; the stale sets follow in
/// the background), a page-down, and key handling while the stale sets are being computed.
func runStoreScreenWorkload(samples: Int) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("metaxy-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("store.db").path
    do {
        let graph = try Workload.graph()
        let store = try MetaxyStore(path: path, readOnly: false, create: true)
        try store.push(graph)
        let roots = Array((0..<samples).map { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\", \"frames\": \"f\($0)\"}}\n" }.joined().utf8)
        try store.write(feature: FeatureKey(string: "example/video"), graph: graph, jsonl: roots, source: "roots")
        try store.write(feature: FeatureKey(string: "example/crop"), graph: graph,
                        jsonl: Array((0..<samples).map { "{\"sample_uid\": \($0)}\n" }.joined().utf8), source: "crop", algorithm: .xxhash64)
    }
    let crop = FeatureKey(string: "example/crop")
    var graph: FeatureGraph?
    let firstPage = try milliseconds {
        let (g, _) = try GraphOpening.open(path)
        graph = g
        _ = try StoreWork.page(store: path, feature: crop, after: nil, before: nil, filter: .all, status: nil, limit: 200)
    }
    let counts = try milliseconds { _ = try StoreWork.summary(store: path, graph: graph!) }
    var pageTimes: [Double] = []
    var after: Int64 = 0
    for _ in 0..<50 {
        pageTimes.append(try milliseconds {
            let page = try MetaxyStore(path: path).samplePage(feature: crop, after: after, limit: 200)
            after = page.rows.last?.rowid ?? after
        })
    }
    let last = try milliseconds { _ = try MetaxyStore(path: path).lastSamplePage(feature: crop, limit: 200) }
    pageTimes.sort()
    // Keys while the stale sets are computed on another thread.
    let g = graph!
    let done = DispatchSemaphore(value: 0)
    let staleStart = DispatchTime.now().uptimeNanoseconds
    nonisolated(unsafe) var staleMs = 0.0
    Thread.detachNewThread {
        _ = StoreWork.stale(store: path, graph: g, features: Array(0..<g.count), cancel: CancelFlag(), post: { _ in })
        staleMs = Double(DispatchTime.now().uptimeNanoseconds - staleStart) / 1e6
        done.signal()
    }
    let session = Session.headless((g, GraphSource(label: "bench", reference: path, watchedPath: nil, store: path)),
                                   terminal: VirtualTerminal(size: Size(width: 120, height: 40)))
    var keyTimes: [Double] = []
    let keys = try KeyNotation.parse("jkjk/vi<Esc>tt<Tab><Tab>")
    while done.wait(timeout: .now()) == .timedOut {
        for key in keys { keyTimes.append(keyMilliseconds(session, key)) }
    }
    keyTimes.sort()
    print("store-screen-\(samples)  first page after launch \(fmt(firstPage)) ms; page-down median \(fmt(pageTimes[25])) ms, "
        + "max \(fmt(pageTimes[49])) ms; counts \(fmt(counts)) ms in the background; last page \(fmt(last)) ms; stale sets \(fmt(staleMs)) ms in the background, meanwhile "
        + "\(keyTimes.count) keys: median \(fmt(keyTimes[keyTimes.count / 2])) ms, max \(fmt(keyTimes.last ?? 0)) ms; "
        + "peak \(fmt(peakMegabytes())) MB")
}
