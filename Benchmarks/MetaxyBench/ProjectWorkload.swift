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
    var python_ms: [Double] = [], total_ms: [Double] = []
    for _ in 0..<runs {
        let project = try require_(try Project.open(dir.path, environment: environment, python: python))
        python_ms.append(try milliseconds {
            let output = try ProcessRunner.run(LiveGraph.command(config: project.config, python: python), environment: environment, timeout: 120)
            guard output.status == 0 else { throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: String(decoding: output.stderr, as: UTF8.self)]) }
        })
        total_ms.append(try milliseconds {
            let found = try require_(try Project.find(from: dir.path, environment: environment, python: python))
            let (graph, source, _) = try GraphOpening.openProject(found)
            let terminal = VirtualTerminal(size: Size(width: 120, height: 40))
            _ = Session.headless((graph, source), terminal: terminal)
        })
    }
    python_ms.sort()
    total_ms.sort()
    let added = zip(total_ms, python_ms).map { $0 - $1 }.sorted()
    print("project-\(features): python export \(fmt(python_ms[0])) ms best, \(fmt(python_ms[runs / 2])) ms median; "
        + "metaxy-tui to the first frame \(fmt(total_ms[0])) / \(fmt(total_ms[runs / 2])) ms; "
        + "added beyond the export \(fmt(added[0])) / \(fmt(added[runs / 2])) ms; \(fmt(peakMegabytes())) MB peak")
}

/// A nil that stops the case with a message.
func require_<T>(_ value: T?) throws -> T {
    guard let value else { throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "no project"]) }
    return value
}
