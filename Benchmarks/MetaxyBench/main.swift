import Foundation
import MetaxyCore
import MetaxyTUI
import TerminalKit
import TestSupport

/// Release-mode figures for the core (DESIGN §6). Each case runs in a child process of this
/// executable so that its peak memory is its own, and is timed over several runs: this machine's
/// timings vary by up to 2× from run to run, so the best and the median are both reported.
/// `metaxy-bench` runs every case; `metaxy-bench CASE [RUNS]` runs one.

let generated: [String: @Sendable () -> [FeatureSpec]] = [
    "dag-1000": { GraphGenerator.dag(features: 1_000) },
    "dag-10000": { GraphGenerator.dag(features: 10_000) },
    "dag-100000": { GraphGenerator.dag(features: 100_000) },
    "chain-5000": { GraphGenerator.chain(length: 5_000) },
]
let allCases = ["vectors", "dag-1000", "dag-10000", "dag-100000", "chain-5000", "tui-10000", "diff-10000", "dag-layout-500", "dag-quality", "store-100000", "store-1000000", "store-screen-1000000", "status-1000000", "lookup-1000000", "migrate-1000000", "project-2000"]

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

/// One key's work in the TUI: the update and the view it leads to.
func keyMilliseconds(_ session: Session, _ key: Key) -> Double {
    milliseconds {
        session.dispatch(.key(key))
        _ = View.render(session.state)
    }
}

func peakMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

/// Best and median of `runs` timings of parse + versions; the graph of the last run.
func measure(_ inputs: [(name: String, bytes: [UInt8])], runs: Int) throws -> (parse: [Double], total: [Double], graph: FeatureGraph?) {
    var parse: [Double] = [], total: [Double] = [], graph: FeatureGraph?
    for _ in 0..<runs {
        var p = 0.0, v = 0.0
        for input in inputs {
            var specs: [FeatureSpec] = []
            graph = nil  // freeing the previous run's graph is not part of loading this one
            p += try milliseconds { specs = try GraphFileParser.parse(input.bytes, file: input.name) }
            v += try milliseconds { graph = try FeatureGraph(specs: specs, source: input.name) }
        }
        parse.append(p)
        total.append(p + v)
    }
    return (parse.sorted(), total.sorted(), graph)
}

func runCase(_ name: String, runs: Int) throws {
    if name.hasPrefix("store-screen-"), let samples = Int(name.dropFirst(13)) { return try runStoreScreenWorkload(samples: samples) }
    if name.hasPrefix("status-"), let samples = Int(name.dropFirst(7)) { return try runIncrementalWorkload(samples: samples) }
    /// The server a `…-pg-N` case runs on.
    func server() throws -> String {
        guard let server = ProcessInfo.processInfo.environment["METAXY_BENCH_PG"] else {
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "\(name) needs METAXY_BENCH_PG=postgresql://…"])
        }
        return server
    }
    if name.hasPrefix("project-pg-"), let samples = Int(name.dropFirst(11)) { return try runProjectStoreWorkload(samples: samples, server: server()) }
    if name.hasPrefix("store-pg-"), let samples = Int(name.dropFirst(9)) { return try runStoreWorkload(samples: samples, server: server()) }
    if name.hasPrefix("store-"), let samples = Int(name.dropFirst(6)) { return try runStoreWorkload(samples: samples) }
    if name == "dag-quality" { return try runDagQuality() }
    if name.hasPrefix("migrate-"), let samples = Int(name.dropFirst(8)) { return try runMigrationWorkload(samples: samples) }
    if name.hasPrefix("lookup-"), let samples = Int(name.dropFirst(7)) { return try runLookupWorkload(samples: samples) }
    if name.hasPrefix("dag-layout-"), let features = Int(name.dropFirst(11)) { return try runDagWorkload(features: features) }
    if name.hasPrefix("diff-"), let features = Int(name.dropFirst(5)) { return try runDiffWorkload(features: features) }
    if name.hasPrefix("tui-"), let features = Int(name.dropFirst(4)) { return try runTUIWorkload(features: features) }
    if name.hasPrefix("project-"), let features = Int(name.dropFirst(8)) { return try runProjectWorkload(features: features, runs: runs) }
    let inputs: [(name: String, bytes: [UInt8])]
    var what: String
    if name == "vectors" {
        let dir = ProcessInfo.processInfo.environment["VECTORS"] ?? "../shared/vectors/graphs"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".json") && $0 != "index.json" }.sorted()
        inputs = try files.map { ($0, Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0)))) }
        what = "\(files.count) vector files"
    } else {
        guard let make = generated[name] else {
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "unknown case \(name); cases: \(allCases)"])
        }
        let specs = make()
        let json = Array(GraphGenerator.json(specs).utf8)
        inputs = [(name, json)]
        what = "\(specs.count) features, \(specs.reduce(0) { $0 + $1.fields.count }) fields, \(fmt(Double(json.count) / 1e6)) MB JSON"
    }
    let (parse, total, graph) = try measure(inputs, runs: runs)
    let median = { (xs: [Double]) in xs[xs.count / 2] }
    print("\(name.padding(toLength: 11, withPad: " ", startingAt: 0))  load+versions best \(fmt(total[0])) ms, "
        + "median \(fmt(median(total))) ms (parse \(fmt(parse[0])) / \(fmt(median(parse))) ms) over \(runs) runs; "
        + "peak \(fmt(peakMegabytes())) MB; \(what); snapshot \(graph.map { String($0.snapshotVersion.prefix(8)) } ?? "-")")
}

let arguments = CommandLine.arguments
if arguments.count > 1 {
    do {
        try runCase(arguments[1], runs: arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5)
    } catch {
        FileHandle.standardError.write(Data("metaxy-bench: \(arguments[1]): \(error)\n".utf8))
        exit(1)
    }
} else {
    print("metaxy-bench: graph load (parse a metaxy JSON dump) + all versions, the TUI, the store; release build")
    fflush(nil)
    for name in allCases {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: arguments[0])
        child.arguments = [name, name == "dag-100000" ? "3" : "5"]
        try child.run()
        child.waitUntilExit()
    }
}
