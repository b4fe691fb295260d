import Foundation
import MetaxyCore
import MetaxyStore
import TestSupport

/// Issue "Today's metaxy", last item: a `samples`-sample metaxy 0.1.x store on PostgreSQL (md5,
/// truncation 8; `ProjectStoreWorkload`) with 1 % of its roots changed, and the stale set of the
/// downstream feature example/crop: in this process (graph, hash detection, reading both tables,
/// provenance, the increment) and as a whole `metaxy-tui store status` process. Beside it metaxy
/// 0.1.11's own figure for the same workload on its DuckDB store on this machine: 8.4 s.
func runProjectStoreWorkload(samples: Int, server: String) throws {
    let made = DispatchTime.now().uptimeNanoseconds
    let url = try ProjectStoreWorkload.make(samples: samples, changed: samples / 100, server: server)
    let fill = Double(DispatchTime.now().uptimeNanoseconds - made) / 1e9
    func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    var inProcess: [Double] = [], stale = 0
    for _ in 0..<3 {
        let (report, seconds) = try timed { () throws -> ProjectStatusReport? in
            let store = try MetaxyStore(path: url)
            let graph = try store.graph(snapshot: "latest")
            return try store.projectStatus(graph: graph, feature: FeatureKey(string: "example/crop"))
        }
        stale = report?.features.first?.stale.count ?? -1
        inProcess.append(seconds)
    }
    var process: [Double] = []
    for _ in 0..<3 {
        let (result, seconds) = try timed { try Binary.run(["store", "status", url, "--feature", "example/crop", "--format", "json"]) }
        guard result.status == 0 else { throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: result.stderr]) }
        process.append(seconds)
    }
    let best = { (xs: [Double]) in xs.min() ?? 0 }, median = { (xs: [Double]) in xs.sorted()[xs.count / 2] }
    print(String(format: "project-pg-%d  store filled on the server in %.1f s; stale set of example/crop (%d stale): in process best %.2f s, median %.2f s; "
                 + "whole process best %.2f s, median %.2f s; peak %.0f MB; metaxy 0.1.11 on DuckDB: 8.4 s",
                 samples, fill, stale, best(inProcess), median(inProcess), best(process), median(process), peakMegabytes()))
}
