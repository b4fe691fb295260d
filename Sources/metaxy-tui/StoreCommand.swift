import ArgumentParser
import MetaxyCore
import MetaxyStore

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Read and write a metaxy metadata store: a SQLite file or a postgresql:// URL.",
        subcommands: [Push.self, Snapshots.self, Write.self, Status.self, Samples.self, Explain.self, Lookup.self, Copy.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    struct Push: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the graph as a snapshot (idempotent); prints the snapshot version.")

        @Argument(help: "The store (created when missing).") var store: String
        @Option(help: "The graph to record (a file, STORE@SNAPSHOT, or project: the live graph of the metaxy project here).") var graph: String
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let (version, existed) = try CLI.run {
                // The graph first: a graph that cannot be loaded leaves no new store behind.
                let loaded = try project.load(graph)
                return try MetaxyStore(path: store, readOnly: false, create: true).push(loaded)
            }
            CLI.write(version + "\n")
            if existed { CLI.note("snapshot already recorded; nothing written") }
        }
    }

    struct Write: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append rows (JSONL) to a feature in one transaction.",
            discussion: "Root rows carry data_version; other rows without one get it computed from the latest upstream rows.")

        @Argument(help: "The store (created when missing).") var store: String
        @Argument(help: "The feature key (a/b).") var feature: String
        @Option(help: "The graph the rows belong to (or project: the live graph of the metaxy project here).") var graph: String
        @OptionGroup var project: ProjectOptions
        @Option(help: "Rows as JSON lines; - reads standard input.") var input: String
        @Flag(help: "First drop the feature's rows at its current feature version.") var replace = false
        @Option(help: "xxhash64, xxhash32, md5 or sha256 (default: detected from the store, else xxhash64).")
        var hashAlgorithm: HashAlgorithm?
        @Flag(help: "Compute every stale set from all rows, without the cache in $XDG_CACHE_HOME/metaxy-tui (the answer is the same).")
        var noCache = false

        func run() throws {
            let bar = ProgressBar()
            Interrupt.install(graceful: false)
            let count = try CLI.run(bar, stopped: "interrupted: nothing was written to \(MetaxyStore.shown(store))") {
                // The rows and the graph first: a missing one leaves no new store behind.
                let bytes = try CLI.readInput(input)
                let loaded = try project.load(graph)
                // From here Ctrl-C asks the write to stop and roll back.
                Interrupt.graceful.store(true, ordering: .relaxed)
                return try MetaxyStore(path: store, readOnly: false, create: true).write(
                    feature: FeatureKey(string: feature), graph: loaded, jsonl: bytes,
                    source: input == "-" ? "<stdin>" : input, replace: replace, algorithm: hashAlgorithm, progress: bar.progress)
            }
            CLI.note("wrote \(counted(count, "row")) to \(feature)")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The stale set of each feature: added, changed, removed samples.")

        @Argument(help: "The store.") var store: String
        @Option(help: "The graph to compare with (default: the store's latest snapshot).") var graph: String?
        @OptionGroup var project: ProjectOptions
        @Option(help: "Only this feature.") var feature: String?
        @Flag(help: "List the sample ids of each set.") var ids = false
        @Option(help: "text or json.") var format: Format = .text
        @Option(help: "xxhash64, xxhash32, md5 or sha256 (default: detected from the store, else xxhash64).")
        var hashAlgorithm: HashAlgorithm?
        @Flag(help: "Compute every stale set from all rows, without the cache in $XDG_CACHE_HOME/metaxy-tui (the answer is the same).")
        var noCache = false

        /// A 0.0.0 store's stale sets, or a 0.1.x store's report in its own words.
        enum StatusOutcome { case metaxy0(FeatureGraph, HashAlgorithm, [FeatureStatus]), project(ProjectStatusReport) }

        func run() throws {
            let bar = ProgressBar()
            Interrupt.install(graceful: false)
            let outcome = try CLI.run(bar) { () throws -> StatusOutcome in
                let opened = try MetaxyStore(path: store)
                let loaded = try project.load(graph ?? store)
                if let report = try opened.projectStatus(graph: loaded, feature: feature.map(FeatureKey.init(string:)), algorithm: hashAlgorithm,
                                                         progress: bar.progress) {
                    return .project(report)
                }
                let algorithm = try hashAlgorithm ?? opened.detectAlgorithm(loaded)
                return .metaxy0(loaded, algorithm, try opened.status(graph: loaded, feature: feature.map(FeatureKey.init(string:)), algorithm: algorithm,
                                                                      progress: bar.progress, cache: noCache ? nil : .standard()))
            }
            switch (outcome, format) {
            case let (.metaxy0(loaded, algorithm, statuses), .json):
                CLI.write(StatusReport.json(statuses, graph: loaded, algorithm: algorithm, ids: ids).pretty() + "\n")
            case let (.metaxy0(_, _, statuses), .text): CLI.write(StatusReport.text(statuses, ids: ids))
            // A metaxy 0.1.x store answers in its own words.
            case let (.project(report), .json): CLI.write(report.json(ids: ids).pretty() + "\n")
            case let (.project(report), .text): CLI.write(report.text(ids: ids))
            }
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Why one sample is stale, field by field.")

        @Argument(help: "The store.") var store: String
        @Argument(help: "The feature key (a/b).") var feature: String
        @Argument(help: "The sample_uid (an integer or a string).") var sampleUID: String
        @Option(help: "The graph to compare with (default: the store's latest snapshot).") var graph: String?
        @OptionGroup var project: ProjectOptions
        @Option(help: "xxhash64, xxhash32, md5 or sha256 (default: detected from the store, else xxhash64).")
        var hashAlgorithm: HashAlgorithm?

        func run() throws {
            let explanation = try CLI.run {
                try MetaxyStore(path: store).explain(feature: FeatureKey(string: feature), sample: SampleUID(argument: sampleUID),
                                                            graph: try project.load(graph ?? store), algorithm: hashAlgorithm)
            }
            CLI.write(explanation.text)
        }
    }

    struct Lookup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One sample in every feature: stored or not, its data versions, fresh or stale and why.",
            discussion: "States: fresh, changed (stale), added (every upstream has it, this feature does not), "
                + "removed (stored, gone upstream), missing (not here, not in every upstream). For each changed field, "
                + "the first upstream field whose value moved since its row before (stored → expected).")

        @Argument(help: "The store.") var store: String
        @Argument(help: "The sample_uid (an integer or a string).") var sampleUID: String
        @Option(help: "The graph to compare with (default: the store's latest snapshot).") var graph: String?
        @OptionGroup var project: ProjectOptions
        @Option(help: "text or json.") var format: Format = .text
        @Option(help: "xxhash64, xxhash32, md5 or sha256 (default: detected from the store, else xxhash64).")
        var hashAlgorithm: HashAlgorithm?

        func run() throws {
            let lookup = try CLI.run {
                try MetaxyStore(path: store).lookup(sample: SampleUID(argument: sampleUID), graph: try project.load(graph ?? store),
                                                    algorithm: hashAlgorithm)
            }
            switch format {
            case .json: CLI.write(lookup.json.pretty() + "\n")
            case .text: CLI.write(lookup.text)
            }
        }
    }

    struct Samples: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stored rows of a feature, in write order.")

        @Argument(help: "The store.") var store: String
        @Argument(help: "The feature key (a/b).") var feature: String
        @Option(help: "At most this many rows.") var limit: Int?
        @Option(help: "Skip this many rows first.") var offset = 0
        @Option(help: "text or json.") var format: Format = .text
        @OptionGroup var project: ProjectOptions

        func validate() throws {
            if offset < 0 || (limit ?? 0) < 0 { throw ValidationError("--limit and --offset must be 0 or more.") }
        }

        func run() throws {
            let rows = try CLI.run { try MetaxyStore(path: store).samples(feature: FeatureKey(string: feature), limit: limit, offset: offset) }
            switch format {
            case .json: CLI.write(JSONValue.array(rows).pretty() + "\n")
            case .text: CLI.write(rows.map { $0.compact() + "\n" }.joined())
            }
        }
    }

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy snapshots and feature rows from one store to another (metaxy's metadata copy), e.g. SQLite to PostgreSQL.",
            discussion: "Rows are copied as they are: versions and write order kept, each feature in one transaction. "
                + "A feature the target already has rows for is refused before anything is copied.")

        @Argument(help: "The store to copy from.") var from: String
        @Argument(help: "The store to copy into (created when missing).") var to: String
        @Option(name: .customLong("feature"), help: "Copy only this feature (repeatable; default: every feature with rows).")
        var features: [String] = []

        func run() throws {
            let bar = ProgressBar()
            Interrupt.install(graceful: false)
            let copied = try CLI.run(bar, stopped: "interrupted: the feature being copied was not written to \(MetaxyStore.shown(to))") {
                let source = try MetaxyStore(path: from)
                let target = try MetaxyStore(path: to, readOnly: false, create: true)
                Interrupt.graceful.store(true, ordering: .relaxed)
                return try source.copy(to: target, features: features.isEmpty ? nil : features.map { FeatureKey(string: $0) },
                                       progress: bar.progress)
            }
            CLI.note("copied \(counted(copied.rows, "row")) of \(counted(copied.features, "feature")) and every snapshot")
        }
    }

    struct Snapshots: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recorded snapshots, newest first.")

        @Argument(help: "The store.") var store: String
        @Option(help: "text or json.") var format: Format = .text
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let (snapshots, project) = try CLI.run { let opened = try MetaxyStore(path: store); return (try opened.snapshots(), opened.projectName) }
            Self.print(snapshots, format: format, project: project)
        }

        /// A 0.1.x store records project versions (`project`): said so in JSON.
        static func print(_ snapshots: [Snapshot], format: Format, project: String? = nil) {
            switch format {
            case .json:
                CLI.write(JSONValue.array(snapshots.map { $0.jsonValue(project: project) }).pretty() + "\n")
            case .text:
                guard !snapshots.isEmpty else { return CLI.write("No snapshots recorded yet.\n") }
                CLI.write(snapshots.map { "\($0.version)  \($0.recordedAtUTC)  \(counted($0.featureCount, "feature"))\n" }.joined())
            }
        }
    }
}
