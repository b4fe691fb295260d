import Foundation
import MetaxyCore

/// A project's migrations directory (`migrations_dir`, `.metaxy/migrations` by default): its
/// `*.yaml` files read into a chain, and new migrations written there.
public struct MigrationsDirectory: Sendable, Equatable {
    /// As configured or given, for messages; and resolved against the working directory.
    public let shown: String
    public let path: String

    public init(_ shown: String, workingDirectory: String) {
        self.shown = shown
        path = shown.hasPrefix("/") ? shown : URL(fileURLWithPath: workingDirectory).appendingPathComponent(shown).standardizedFileURL.path
    }

    /// Every migration there, in chain order; a directory that does not exist has none.
    public func chain() throws(MigrationError) -> MigrationChain {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return try MigrationChain([], directory: shown) }
        guard isDirectory.boolValue else { throw MigrationError(file: shown, "is a file, not a migrations directory") }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw MigrationError(file: shown, "cannot be read (\(error.localizedDescription)); check its permissions")
        }
        var entries: [MigrationChain.Entry] = []
        for name in names.sorted() where name.hasSuffix(".yaml") {
            let file = shown + "/" + name
            guard let data = FileManager.default.contents(atPath: path + "/" + name) else { throw MigrationError(file: file, "cannot be read") }
            entries.append(.init(file: file, migration: try Migration.parse(String(decoding: data, as: UTF8.self), file: file)))
        }
        return try MigrationChain(entries, directory: shown)
    }

    /// Writes a new migration as `<id>.yaml`, never over an existing file; returns its shown path.
    public func write(_ migration: Migration) throws(MigrationError) -> String {
        let shownFile = shown + "/" + migration.id + ".yaml", file = path + "/" + migration.id + ".yaml"
        guard !FileManager.default.fileExists(atPath: file) else {
            throw MigrationError(file: shownFile, "already exists; wait a second or give another --name")
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try Data(migration.yaml.utf8).write(to: URL(fileURLWithPath: file), options: .withoutOverwriting)
        } catch {
            throw MigrationError(file: shownFile, "cannot be written (\(error.localizedDescription)); check the directory's permissions")
        }
        return shownFile
    }
}

extension MigrationsDirectory {
    /// A new migration from one snapshot to another, the chain's head its parent, written here.
    public func generate(from: String, to: String, name: String?, now: Date = Date()) throws(MigrationError) -> (migration: Migration, file: String) {
        try Migration.checkName(name)
        // Ids are to the second: a second migration within the same second takes the next one.
        var instant = now, stamp = Migration.stamp(now, name: name)
        while FileManager.default.fileExists(atPath: path + "/" + stamp.id + ".yaml") {
            instant += 1
            stamp = Migration.stamp(instant, name: name)
        }
        let migration = Migration(id: stamp.id, createdAt: stamp.createdAt, parent: try chain().head, fromSnapshot: from, toSnapshot: to)
        return (migration, try write(migration))
    }
}
