import Foundation
import MetaxyCore
import MetaxyProject
import MetaxyTUI
import TerminalKit
import TestSupport

/// Opening a generated metaxy project of `features` Feature classes: the project's Python alone
/// (importing metaxy and the features, printing their specs), then what metaxy-tui adds: the
/// config, reading the specs, the versions and the first frame. Python is `$METAXY_PYTHON`
/// (default python3), with metaxy 0.0.0 installed.
func runProjectWorkload(features: Int, runs: Int) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("metaxy-bench-project-\(getpid())")
    defer { try? FileManager.default.removeItem(at: dir) }
    try ProjectGenerator.write(features: features, to: dir)
    let environment = ProcessInfo.processInfo.environment
    let python = environment["METAXY_PYTHON"] ?? "python3"
    var python_ms: [Double] = [], added_ms: [Double] = [], total_ms: [Double] = []
    for _ in 0..<runs {
        let project = try require_(try Project.open(dir.path, environment: environment, python: python))
        var output: ProcessRunner.Output?
        python_ms.append(try milliseconds {
            output = try ProcessRunner.run(LiveGraph.command(config: project.config, python: python), environment: environment, timeout: 120)
        })
        guard let specs = output, specs.status == 0 else {
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: String(decoding: output?.stderr ?? [], as: UTF8.self)])
        }
        // What metaxy-tui adds to the export: the config, reading the specs, versions, the first frame.
        added_ms.append(try milliseconds {
            let found = try require_(try Project.find(from: dir.path, environment: environment, python: python))
            let graph = try GraphFileParser.graph(specs.stdout, file: "export")
            _ = Session.headless((graph, GraphOpening.projectSource(found)), terminal: VirtualTerminal(size: Size(width: 120, height: 40)))
        })
        // And the whole, as the user waits for it.
        total_ms.append(try milliseconds {
            let found = try require_(try Project.find(from: dir.path, environment: environment, python: python))
            let (graph, source, _) = try GraphOpening.openProject(found)
            _ = Session.headless((graph, source), terminal: VirtualTerminal(size: Size(width: 120, height: 40)))
        })
    }
    (python_ms, added_ms, total_ms) = (python_ms.sorted(), added_ms.sorted(), total_ms.sorted())
    print("project-\(features): python export \(fmt(python_ms[0])) ms best, \(fmt(python_ms[runs / 2])) ms median; "
        + "metaxy-tui's part (config, specs, versions, first frame) \(fmt(added_ms[0])) / \(fmt(added_ms[runs / 2])) ms; "
        + "in all \(fmt(total_ms[0])) / \(fmt(total_ms[runs / 2])) ms; \(fmt(peakMegabytes())) MB peak")
}

/// A nil that stops the case with a message.
func require_<T>(_ value: T?) throws -> T {
    guard let value else { throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "no project"]) }
    return value
}
