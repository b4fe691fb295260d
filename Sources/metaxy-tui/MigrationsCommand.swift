import ArgumentParser
import Foundation
import MetaxyCore
import MetaxyProject
import MetaxyStore

/// metaxy's `migrations` commands on metaxy 0.0.0's migration files and events, with the
/// reconciliation done right (DESIGN §2), in a project or with --store and --migrations-dir.
struct MigrationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrations",
        abstract: "Reconcile stored samples after a change that needs no recompute (metaxy's migrations).",
        discussion: "In a metaxy project the store and migrations_dir come from its config; elsewhere give --store and --migrations-dir.",
        subcommands: [Generate.self, Apply.self, Status.self, List.self, Explain.self, Describe.self])
}

/// Where migrations are read and applied: a store and a migrations directory, from the project's
/// config unless given.
struct MigrationOptions: ParsableArguments {
    @Option(help: "The store (default: the store the project's config names).") var store: String?
    @Option(help: "The migrations directory (default: the project's migrations_dir, .metaxy/migrations).") var migrationsDir: String?
    @Option(help: "xxhash64, xxhash32, md5 or sha256 (default: the project store's, else detected from the store).")
    var hashAlgorithm: HashAlgorithm?
    @OptionGroup var project: ProjectOptions

    struct Setup {
        let project: Project?
        let storePath: String
        let directory: MigrationsDirectory

        /// Both graphs of a migration, the store's snapshots listed once: the target recorded, or
        /// the project's live graph when that is at the target snapshot (`recorded` false); else a
        /// message saying which snapshot is missing and what to do.
        func graphs(_ migration: Migration, in store: MetaxyStore) throws -> (from: FeatureGraph, to: FeatureGraph, recorded: Bool) {
            let snapshots = try store.snapshots()
            guard let fromSnapshot = snapshots.first(where: { $0.version == migration.fromSnapshot }) else {
                throw StoreError(file: storePath, "has no snapshot \(migration.fromSnapshot), which migration \(migration.id) starts from; "
                    + "is this the store it was generated for?")
            }
            let from = try store.graph(of: fromSnapshot)
            if let recorded = snapshots.first(where: { $0.version == migration.toSnapshot }) { return (from, try store.graph(of: recorded), true) }
            guard let project, let live = try? project.graph(), live.snapshotVersion == migration.toSnapshot else {
                throw StoreError(file: storePath, "has no snapshot \(migration.toSnapshot), which migration \(migration.id) goes to, and the "
                    + "project's graph is not at it: record it with `metaxy-tui graph push` run on the code at that snapshot, or "
                    + "`metaxy-tui store push \(storePath) --graph GRAPH`")
            }
            return (from, live, false)
        }
    }

    func setup(_ command: String) throws -> Setup {
        let environment = ProcessInfo.processInfo.environment
        let here = try project.find(environment)
        guard let storePath = try store ?? here.map({ found in
            guard let path = found.storePath else { throw StoreError(file: try found.store.get().databasePath, try found.store.get().notWrittenYet) }
            return path
        }) else {
            throw ConfigError(.load, "migrations \(command) needs a store: run it in a metaxy project, or give --store STORE and --migrations-dir DIR")
        }
        return Setup(project: here, storePath: storePath, directory: directory(here))
    }

    /// `--migrations-dir`, else the project's `migrations_dir`, else `.metaxy/migrations` here.
    func directory(_ project: Project?) -> MigrationsDirectory {
        let cwd = FileManager.default.currentDirectoryPath
        return migrationsDir.map { MigrationsDirectory($0, workingDirectory: cwd) }
            ?? project.map { MigrationsDirectory($0.config.migrationsDir, workingDirectory: $0.config.workingDirectory) }
            ?? MigrationsDirectory(ProjectConfig.defaultMigrationsDir, workingDirectory: cwd)
    }

    /// The hash algorithm: given, else the configured store's, else what the store reveals.
    func algorithm(_ setup: Setup, store: MetaxyStore, graph: FeatureGraph) throws -> HashAlgorithm {
        if let hashAlgorithm { return hashAlgorithm }
        if self.store == nil, case .success(let selection)? = setup.project?.store, let configured = HashAlgorithm(rawValue: selection.hashAlgorithm) {
            return configured
        }
        return try store.detectAlgorithm(graph)
    }
}

extension MigrationsCommand {
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a migration from the store's latest snapshot to the project's graph (or --graph).")
        @Option(help: "Appended to the id: 20261201_213822_NAME.") var name: String?
        @Option(help: "The op; metaxy-tui applies metaxy.migrations.ops.DataVersionReconciliation only (the default).") var op: [String] = []
        @Option(help: "The graph to migrate to (default: the project's live graph).") var graph: String?
        @Option(help: "The snapshot to migrate from (default: the store's latest).") var from: String?
        @OptionGroup var options: MigrationOptions

        func run() throws {
            let text = try CLI.run { () throws -> String in
                try Migration.checkName(name)
                if let other = op.first(where: { $0 != Migration.reconciliation }) {
                    throw MigrationError("--op \(other): metaxy-tui applies \(Migration.reconciliation) only")
                }
                let setup = try options.setup("generate")
                let store = try MetaxyStore(path: setup.storePath)
                let fromSnapshot = try store.resolveSnapshot(from ?? "latest")
                guard graph != nil || setup.project != nil else {
                    throw ConfigError(.load, "migrations generate migrates to a project's graph: run it in a metaxy project, or give --graph GRAPH")
                }
                let target = try options.project.load(graph ?? "project")
                let plan = MigrationPlan(from: try store.graph(of: fromSnapshot), to: target)
                guard fromSnapshot.version != target.snapshotVersion, !plan.isEmpty else {
                    return "No changes detected\n  Current graph matches latest snapshot\n"
                }
                let chain = try setup.directory.chain()
                if let same = chain.entries.last(where: { $0.migration.fromSnapshot == fromSnapshot.version && $0.migration.toSnapshot == target.snapshotVersion }) {
                    return "ℹ Migration \(same.migration.id) (\(same.file)) already goes from \(fromSnapshot.version.prefix(12)) to "
                        + "\(target.snapshotVersion.prefix(12)); nothing generated\n"
                }
                // metaxy chains a second migration from the same old snapshot, whose rows the first
                // one's then hide; here the first is applied first, and the next starts where it ended.
                for entry in chain.entries where MigrationProgress(try store.migrationEvents(entry.migration.id)).status != .completed {
                    throw MigrationError(file: entry.file, "is not applied yet: apply it first (metaxy-tui migrations apply), so that the "
                        + "next migration starts from the snapshot it records")
                }
                let (migration, file) = try setup.directory.generate(from: fromSnapshot.version, to: target.snapshotVersion, name: name)
                let pushed = try store.snapshots().contains { $0.version == target.snapshotVersion }
                return MigrationReports.generated(migration, file: file, plan: plan, pushed: pushed)
            }
            CLI.write(text)
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the migrations not completed yet, in chain order (up to ID); each feature in one transaction, resumable.")
        @Argument(help: "Apply the chain up to this migration (an id or a unique prefix).") var id: String?
        @Flag(help: "Count per feature what would be written; write nothing.") var dryRun = false
        @OptionGroup var options: MigrationOptions

        func run() throws {
            let bar = ProgressBar()
            Interrupt.install(graceful: false)
            var failed = false
            try CLI.run(bar, stopped: "interrupted: the feature being written was rolled back; apply again to go on") {
                let setup = try options.setup("apply")
                let store = try MetaxyStore(path: setup.storePath, readOnly: dryRun)
                let chain = try setup.directory.chain()
                guard !chain.entries.isEmpty else { return CLI.write(MigrationReports.none(setup.directory.shown)) }
                let last = try id.map { id in
                    guard let entry = chain.entry(id) else { throw chain.unknown(id, in: setup.directory) }
                    return entry.migration.id
                }
                var pending: [MigrationChain.Entry] = []
                for entry in chain.entries {
                    if MigrationProgress(try store.migrationEvents(entry.migration.id)).status != .completed { pending.append(entry) }
                    if entry.migration.id == last { break }
                }
                guard !pending.isEmpty else { return CLI.write("ℹ All migrations already completed\n") }
                CLI.write((dryRun ? "=== DRY RUN MODE ===\n\n" : "") + "Applying \(pending.count) migration(s) in chain order:\n"
                    + pending.map { "  • \($0.migration.id)\n" }.joined())
                for entry in pending { try entry.migration.checkOps(file: entry.file) }
                for entry in pending {
                    let migration = entry.migration
                    let (from, to, recorded) = try setup.graphs(migration, in: store)
                    if !dryRun, !recorded {
                        try store.push(to)
                        CLI.write("\nRecorded the project's graph as snapshot \(to.snapshotVersion), the migration's target\n")
                    }
                    let started = Date()
                    Interrupt.graceful.store(true, ordering: .relaxed)
                    let outcome = try store.apply(migration, from: from, to: to, algorithm: try options.algorithm(setup, store: store, graph: to),
                                                  dryRun: dryRun, progress: bar.progress)
                    Interrupt.graceful.store(false, ordering: .relaxed)
                    bar.clear()
                    CLI.write(MigrationReports.applied(outcome, seconds: Date().timeIntervalSince(started)))
                    if !outcome.failures.isEmpty, !dryRun {
                        CLI.write("\nMigration \(migration.id) failed. Stopping chain execution.\n")
                        failed = true
                        return
                    }
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each migration in chain order: not started, in progress, completed or failed.")
        @OptionGroup var options: MigrationOptions

        func run() throws {
            CLI.write(try CLI.run { () throws -> String in
                let setup = try options.setup("status")
                let store = try MetaxyStore(path: setup.storePath)
                let chain = try setup.directory.chain()
                guard !chain.entries.isEmpty else { return MigrationReports.none(setup.directory.shown) }
                var progress: [String: MigrationProgress] = [:], planned: [String: Int] = [:]
                for entry in chain.entries {
                    let m = entry.migration
                    progress[m.id] = MigrationProgress(try store.migrationEvents(m.id))
                    if let graphs = try? setup.graphs(m, in: store) { planned[m.id] = MigrationPlan(from: graphs.from, to: graphs.to).reconciled.count }
                }
                return MigrationReports.status(chain, progress: { progress[$0.id]! }, planned: { planned[$0.id] })
            })
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The migrations in chain order: id, created, operations.")
        @OptionGroup var options: MigrationOptions

        func run() throws {
            CLI.write(try CLI.run { () throws -> String in
                // The files alone: no store needed.
                let directory = options.directory(try options.project.find(ProcessInfo.processInfo.environment))
                let chain = try directory.chain()
                return chain.entries.isEmpty ? MigrationReports.none(directory.shown) : MigrationReports.list(chain)
            })
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What a migration changes (default: the newest), feature by feature and field by field.")
        @Argument(help: "The migration (an id or a unique prefix).") var id: String?
        @OptionGroup var options: MigrationOptions

        func run() throws {
            CLI.write(try CLI.run { () throws -> String in
                let (setup, store, entry) = try options.entry(id, "explain")
                guard let entry else { return MigrationReports.none(setup.directory.shown) }
                let graphs = try setup.graphs(entry.migration, in: store)
                return MigrationReports.explain(entry.migration, plan: MigrationPlan(from: graphs.from, to: graphs.to))
            })
        }
    }

    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A migration (default: the newest): its file, what it writes per feature, where it stands.")
        @Argument(help: "The migration (an id or a unique prefix).") var id: String?
        @OptionGroup var options: MigrationOptions

        func run() throws {
            CLI.write(try CLI.run { () throws -> String in
                let (setup, store, entry) = try options.entry(id, "describe")
                guard let entry else { return MigrationReports.none(setup.directory.shown) }
                let progress = MigrationProgress(try store.migrationEvents(entry.migration.id))
                guard let graphs = try? setup.graphs(entry.migration, in: store) else {
                    return MigrationReports.describe(entry.migration, file: entry.file, counts: nil, plan: nil, progress: progress)
                }
                let dry = try store.apply(entry.migration, from: graphs.from, to: graphs.to,
                                          algorithm: try options.algorithm(setup, store: store, graph: graphs.to), dryRun: true)
                let counts = dry.features.compactMap { if case let .reconciled(r) = $0.result { r } else { nil } }
                return MigrationReports.describe(entry.migration, file: entry.file, counts: counts,
                                                 plan: MigrationPlan(from: graphs.from, to: graphs.to), progress: progress)
            })
        }
    }
}

extension MigrationOptions {
    /// The setup, its store (opened first: a bad store is said before anything else) and the
    /// migration `id` names (default: the newest); nil when there are none.
    func entry(_ id: String?, _ command: String) throws -> (Setup, MetaxyStore, MigrationChain.Entry?) {
        let setup = try setup(command)
        let store = try MetaxyStore(path: setup.storePath)
        let chain = try setup.directory.chain()
        guard let newest = chain.entries.last else { return (setup, store, nil) }
        guard let id else { return (setup, store, newest) }
        guard let entry = chain.entry(id) else { throw chain.unknown(id, in: setup.directory) }
        return (setup, store, entry)
    }
}

extension MigrationChain {
    /// No migration has `id` (or starts with it): the ones there are listed.
    func unknown(_ id: String, in directory: MigrationsDirectory) -> MigrationError {
        MigrationError(file: directory.shown, "has no migration '\(id)' (an id or a unique prefix of one); it has "
            + listed(entries.map(\.migration.id), limit: 10))
    }
}
