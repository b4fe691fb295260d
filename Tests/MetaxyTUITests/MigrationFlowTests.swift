import Foundation
import MetaxyCore
import MetaxyTUI
import TerminalKit
import Testing
import TestSupport

/// `M` on the Diff screen: a preview that writes nothing, Esc that leaves the store as it was,
/// Enter that writes the migration file, applies it and shows the Store screen's new counts.
@Suite(.serialized) struct MigrationFlowTests {
    @Test func previewThenApplyFromTheDiffScreen() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (store, _) = try MigrationWorkload.store(samples: 50, in: dir)
        let v2 = try MigrationWorkload.file(MigrationWorkload.graphYAML(change: ("video", "frames")), "v2.yaml", in: dir)
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        let (session, terminal) = try Harness.session(GraphOpening.open(v2, store: store), keys: "d")
        #expect(try #require(terminal.lastFrame).text.contains("M migrates without a recompute"), "the first change, crop, says M")

        try Harness.press("M", on: session)
        let preview = View.render(session.state).text
        #expect(preview.contains("Migrate "), "\(preview)")
        #expect(preview.contains("Reconciled, no recompute (2)"), "\(preview)")
        #expect(preview.contains("✓ example/crop") && preview.contains("50 rewritten · 0 current"), "\(preview)")
        #expect(preview.contains("⚠ example/video") && preview.contains("50 samples: data changed at the source"), "\(preview)")
        #expect(preview.contains("100 rows into 2 tables") && preview.contains("(not recorded yet: Enter records it first)"), "\(preview)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before, "the preview writes nothing")

        try Harness.press("<Esc>", on: session)
        #expect(View.render(session.state).text.contains("migration cancelled: nothing was written"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)

        try Harness.press("M<Enter>", on: session)
        let after = View.render(session.state).text
        #expect(after.contains("Features") && after.contains("after migration"), "\(after)")
        for key in ["example/crop", "example/face_detection"] {
            let line = try #require(after.split(separator: "\n").first { $0.contains(key) && $0.contains("│") }, "\(after)")
            #expect(line.contains("100") && line.contains("50") && line.contains("✓ fresh"), "\(line)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(".metaxy/migrations").path)
        #expect(files.count == 1 && files[0].hasSuffix(".yaml"))
        // Smaller terminals draw the preview too.
        session.dispatch(.resize(Size(width: 80, height: 24)))
        try Harness.press("d", on: session)
    }

    @Test func aMigrationStartsFromASnapshotOfTheStore() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (store, v1) = try MigrationWorkload.store(samples: 5, in: dir)
        let v2 = try MigrationWorkload.file(MigrationWorkload.graphYAML(change: ("crop", "frames")), "v2.yaml", in: dir)
        let (session, _) = try Harness.session(GraphOpening.open(v2, store: store), keys: ":diff \(v1) \(v2)<Enter>M")
        #expect(View.render(session.state).text.contains("cannot migrate: the old side, v1.yaml, is not a snapshot of the store"),
                "\(View.render(session.state).text)")
        // An earlier migration not applied yet: this one would go out of chain order.
        let migrations = dir.appendingPathComponent(".metaxy/migrations")
        try FileManager.default.createDirectory(at: migrations, withIntermediateDirectories: true)
        try Migration(id: "20260101_000000", createdAt: "2026-01-01T00:00:00+00:00", parent: Migration.initial, fromSnapshot: "x", toSnapshot: "y").yaml
            .write(to: migrations.appendingPathComponent("20260101_000000.yaml"), atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        let (pending, _) = try Harness.session(GraphOpening.open(v2, store: store), keys: "dM<Enter>")
        let refused = View.render(pending.state).text
        #expect(refused.contains("cannot migrate: ") && refused.contains("cannot migrate: migration 20260101_000000 is not applied yet"), "\(refused)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before, "nothing written")
        let (noStore, _) = try Harness.session(GraphOpening.open(v2), keys: ":diff \(v1) \(v2)<Enter>M")
        #expect(View.render(noStore.state).text.contains("no store to migrate"))
    }
}
