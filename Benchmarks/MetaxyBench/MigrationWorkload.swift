import Foundation
import MetaxyCore
import MetaxyStore
import TestSupport

/// Issue "Migrations", item 6: reconcile `samples` samples across two downstream features
/// (metaxy's recorded change: crop's frames code version 1 → 2, so crop and face_detection), with
/// metaxy-tui's `migrations apply` and with metaxy 0.0.0's on a copy of the same store, each as a
/// whole process: wall time and peak memory (`/usr/bin/time`). metaxy's Python is `$METAXY_PYTHON`
/// (default python3); without metaxy there, only ours is measured.
func runMigrationWorkload(samples: Int) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("metaxy-bench-migrate-\(getpid())")
    defer { try? FileManager.default.removeItem(at: dir) }
    let project = dir.appendingPathComponent("video")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: Fixtures.vectors.appendingPathComponent("projects/video"), to: project)
    let recorded = Fixtures.vectors.appendingPathComponent("migrations/crop_frames_v2")
    let features = project.appendingPathComponent("video_features/features.py")
    try FileManager.default.removeItem(at: features)
    try FileManager.default.copyItem(at: recorded.appendingPathComponent("features.v2.py"), to: features)
    // Both graphs as metaxy recorded them.
    let after = try MetaxyStore(path: recorded.appendingPathComponent("store-after.sqlite").path)
    let v1 = try after.graph(snapshot: "8468950d"), v2 = try after.graph(snapshot: "cfad872c")

    let path = project.appendingPathComponent("metadata.db").path
    let store = try MetaxyStore(path: path, readOnly: false, create: true)
    try store.push(v1)
    func rows(_ line: (Int) -> String) -> [UInt8] { Array((1...samples).map { line($0) + "\n" }.joined().utf8) }
    try store.write(feature: FeatureKey(string: "example/video"), graph: v1, jsonl: rows {
        "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\", \"frames\": \"f\($0)\"}, \"path\": \"s3://videos/\($0).mp4\"}"
    }, source: "video", algorithm: .xxhash64)
    try store.write(feature: FeatureKey(string: "example/crop"), graph: v1, jsonl: rows { "{\"sample_uid\": \($0), \"width\": 224}" },
                    source: "crop", algorithm: .xxhash64)
    try store.write(feature: FeatureKey(string: "example/face_detection"), graph: v1, jsonl: rows { "{\"sample_uid\": \($0), \"n_faces\": \($0 % 4)}" },
                    source: "face_detection", algorithm: .xxhash64)
    try store.push(v2)
    let migrations = project.appendingPathComponent(".metaxy/migrations")
    try FileManager.default.createDirectory(at: migrations, withIntermediateDirectories: true)
    let migration = Migration(id: "20261201_213822", createdAt: "2026-12-01T21:38:22.993652+00:00", parent: Migration.initial,
                              fromSnapshot: v1.snapshotVersion, toSnapshot: v2.snapshotVersion)
    try migration.yaml.write(to: migrations.appendingPathComponent(migration.id + ".yaml"), atomically: true, encoding: .utf8)
    let theirs = dir.appendingPathComponent("theirs")
    try FileManager.default.copyItem(at: project, to: theirs)

    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("metaxy-tui")
    let ours = try timed([binary.path, "migrations", "apply"], in: project, environment: [:])
    func newRows(_ db: String, _ table: String, _ key: String) throws -> String {
        let r = try Binary.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [db, "SELECT count(*), count(DISTINCT sample_uid) FROM \(table) WHERE feature_version = "
            + "(SELECT feature_version FROM \"metaxy-system__feature_versions\" WHERE feature_key = '\(key)' AND snapshot_version = '\(v2.snapshotVersion)')"])
        return r.stdout.trimmingCharacters(in: .newlines).replacingOccurrences(of: "|", with: " rows, ") + " samples"
    }
    func written(_ db: String) throws -> String {
        "crop \(try newRows(db, "example__crop", "example/crop")), face_detection \(try newRows(db, "example__face_detection", "example/face_detection"))"
    }
    var line = "migrate-\(samples): metaxy-tui \(String(format: "%.2f s, peak %.0f MB", ours.seconds, ours.megabytes)) (\(try written(path)))"
    let python = ProcessInfo.processInfo.environment["METAXY_PYTHON"] ?? "python3"
    if try Binary.run(URL(fileURLWithPath: "/usr/bin/env"), [python, "-c", "import metaxy"]).status == 0 {
        let metaxy = try timed([python, "-c", "import sys; from metaxy.cli.app import main; sys.argv = ['metaxy', 'migrations', 'apply']; main()"],
                               in: theirs, environment: ["PYTHONPATH": theirs.path])
        line += String(format: "; metaxy 0.0.0 %.2f s, peak %.0f MB", metaxy.seconds, metaxy.megabytes)
            + " (\(metaxy.status == 0 ? try written(theirs.appendingPathComponent("metadata.db").path) : "exit \(metaxy.status): \(metaxy.tail)"))"
    } else {
        line += "; metaxy 0.0.0 not measured (no `import metaxy` in \(python); set METAXY_PYTHON)"
    }
    print(line)
}

/// A whole process under `/usr/bin/time`: its wall time, peak memory, its standard output and the
/// end of all it wrote.
func timed(_ command: [String], in directory: URL, environment: [String: String]) throws
    -> (seconds: Double, megabytes: Double, status: Int32, output: String, tail: String)
{
    let report = directory.appendingPathComponent(".time")
    let result = try Binary.run(URL(fileURLWithPath: "/usr/bin/time"), ["-f", "%e %M", "-o", report.path] + command,
                                environment: environment, directory: directory)
    let figures = try String(contentsOf: report, encoding: .utf8).split(whereSeparator: \.isWhitespace).suffix(2).compactMap { Double($0) }
    let tail = String((result.stdout + result.stderr).suffix(300)).replacingOccurrences(of: "\n", with: " ")
    return (figures.first ?? .nan, (figures.last ?? .nan) / 1024, result.status, result.stdout, tail)
}
