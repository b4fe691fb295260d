/// The migrations of a directory in chain order, oldest first: one head, each parent the one
/// before, the first one's parent `initial` (metaxy's loader). Anything else is an error that
/// names the files concerned.
public struct MigrationChain: Sendable {
    public struct Entry: Sendable {
        public let file: String
        public let migration: Migration
        public init(file: String, migration: Migration) {
            self.file = file
            self.migration = migration
        }
    }

    public let entries: [Entry]

    public init(_ found: [Entry], directory: String) throws(MigrationError) {
        guard !found.isEmpty else {
            entries = []
            return
        }
        var byID: [String: Entry] = [:]
        for entry in found {
            if let other = byID.updateValue(entry, forKey: entry.migration.id) {
                throw MigrationError(file: entry.file, "has the id \(entry.migration.id), as \(other.file) has; ids must be unique: rename one")
            }
        }
        let parents = Set(found.map(\.migration.parent))
        let heads = found.filter { !parents.contains($0.migration.id) }
        guard heads.count == 1 else {
            if heads.isEmpty {
                throw MigrationError(file: directory, "its migrations' parents go round in a circle (\(found.map(\.file).sorted().joined(separator: ", "))); "
                    + "the first migration's parent must be `initial`")
            }
            throw MigrationError(file: directory, "has \(heads.count) heads (\(heads.map(\.file).sorted().joined(separator: ", "))): each migration but "
                + "the first must name the one before it as parent; fix the parent of all but one")
        }
        var chain: [Entry] = [], seen = Set<String>()
        var current = heads[0]
        while true {
            guard seen.insert(current.migration.id).inserted else {
                throw MigrationError(file: current.file, "is in a circle of parents; the first migration's parent must be `initial`")
            }
            chain.append(current)
            let parent = current.migration.parent
            if parent == Migration.initial { break }
            guard let next = byID[parent] else {
                throw MigrationError(file: current.file, "names the parent \(parent), which no file in \(directory) has as its id; "
                    + "restore that migration or set parent to the one before")
            }
            current = next
        }
        let orphans = found.filter { !seen.contains($0.migration.id) }
        guard orphans.isEmpty else {
            throw MigrationError(file: directory, "has migrations outside the chain from \(heads[0].migration.id) back to initial: "
                + "\(orphans.map(\.file).sorted().joined(separator: ", ")); give each a parent in the chain or remove it")
        }
        entries = chain.reversed()
    }

    /// The newest migration's id, the parent of the next one.
    public var head: String { entries.last?.migration.id ?? Migration.initial }

    /// The migration `id`, or a unique prefix of one.
    public func entry(_ id: String) -> Entry? {
        entries.first { $0.migration.id == id } ?? {
            let matches = entries.filter { $0.migration.id.hasPrefix(id) }
            return matches.count == 1 ? matches[0] : nil
        }()
    }
}
