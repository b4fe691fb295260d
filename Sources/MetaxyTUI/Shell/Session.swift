import Foundation
import MetaxyCore
import MetaxyProject
import MetaxyStore
import TerminalKit

/// How a session starts: the graph, where it came from, and the look asked for.
public struct SessionOptions: Sendable {
    public var graph: FeatureGraph
    public var source: GraphSource
    public var themeName: String?
    public var depth: ColorDepth
    /// Reads the graph again for `R` and when its file changes.
    public var loader: @Sendable (String) throws -> FeatureGraph
    /// What the status line says first (a store the project's config names but cannot be opened).
    public var message: String?

    public init(graph: FeatureGraph, source: GraphSource, themeName: String?, depth: ColorDepth,
                loader: @escaping @Sendable (String) throws -> FeatureGraph, message: String? = nil) {
        self.graph = graph
        self.source = source
        self.themeName = themeName
        self.depth = depth
        self.loader = loader
        self.message = message
    }

    /// The first state: NO_COLOR and `--color never` get the monochrome theme whatever was asked.
    public func initialState(size: Size, catalog: ThemeCatalog) -> AppState {
        let (theme, problem) = depth == .monochrome ? (Theme.monochrome, nil) : catalog.load(themeName ?? catalog.defaultName)
        return AppState(graph: graph, source: source, size: size, theme: theme, themeNames: catalog.names(), message: problem ?? message)
    }
}

/// The imperative shell around `update` and `view`: reads keys, runs effects, draws frames,
/// watches the graph file. Slow work (reloading a big graph) runs off the input loop and comes
/// back as an action, so keys stay answered meanwhile.
public final class Session {
    public private(set) var state: AppState
    private let terminal: Terminal
    private let options: SessionOptions
    private let catalog: ThemeCatalog
    /// Headless sessions (screenshots, tests) run effects inline, so a replay is deterministic.
    private let synchronous: Bool
    private let inbox = Inbox()
    private var watched: FileStamp?
    private var watchedPath: String?
    private var pendingWork = 0
    /// The project root being watched, and what stops its watch.
    private var projectWatch: (root: String, stop: CancelFlag)?
    private var staleCancel: CancelFlag?

    public init(terminal: Terminal, options: SessionOptions, catalog: ThemeCatalog, synchronous: Bool = false) {
        self.terminal = terminal
        self.options = options
        self.catalog = catalog
        self.synchronous = synchronous
        state = options.initialState(size: terminal.size, catalog: catalog)
        watched = options.source.watchedPath.flatMap(FileStamp.init)
        watchedPath = options.source.watchedPath
        perform(.loadCachedStale)
    }

    /// A session on a virtual terminal that replays its keys with effects run inline, then
    /// returns: what screenshots, tests and benchmarks start from.
    /// `loader` as the browser has it (a project's: its live graph exported again).
    public static func headless(_ opened: (FeatureGraph, GraphSource), terminal: VirtualTerminal, themeName: String? = nil,
                                catalog: ThemeCatalog = ThemeLocations.catalog(),
                                loader: @escaping @Sendable (String) throws -> FeatureGraph = GraphOpening.loader) -> Session {
        let options = SessionOptions(graph: opened.0, source: opened.1, themeName: themeName, depth: terminal.depth, loader: loader)
        let session = Session(terminal: terminal, options: options, catalog: catalog, synchronous: true)
        session.run()
        return session
    }

    /// Runs until quit; `afterFirstFrame` lets tests break in once the screen is up.
    public func run(afterFirstFrame: () -> Void = {}) {
        terminal.draw(View.render(state), theme: state.theme)
        afterFirstFrame()
        defer { projectWatch?.stop.cancel() }
        while state.running {
            let key = terminal.readKey(timeout: pendingWork > 0 ? 20 : 250)
            var changed = false
            if let key {
                if key == .resize { dispatch(.resize(terminal.size)) }
                dispatch(.key(key))
                changed = true
            } else if watchForChanges() {
                changed = true
            } else if synchronous {
                return
            }
            for (action, final) in inbox.drain() {
                if final { pendingWork -= 1 }
                dispatch(action)
                changed = true
            }
            if changed, state.running { terminal.draw(View.render(state), theme: state.theme) }
        }
    }

    /// Applies one action and carries out the effects it asks for.
    public func dispatch(_ action: Action) {
        for effect in Update.apply(action, to: &state) { perform(effect) }
    }

    private func perform(_ effect: Effect) {
        switch effect {
        case .quit: break
        case .redraw: terminal.redraw()
        case .suspend:
            terminal.suspend()
            dispatch(.resize(terminal.size))
        case .copy(let text):
            terminal.sendControl("\u{1B}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}")
        case .loadTheme(let name):
            let (theme, problem) = catalog.load(name)
            dispatch(.themeLoaded(theme, problem: problem))
        case .export(let format, let path):
            dispatch(Self.export(state.graph, format: format, path: path))
        case .reload:
            guard let reference = state.source.reference else { return }
            let loader = options.loader
            offLoop {
                do { return .graphLoaded(try loader(reference)) } catch {
                    return .notice("\(error) (the last good graph stays)", isError: true)
                }
            }
        case .loadDiff(let old, let new):
            let store = state.source.store, loader = options.loader
            offLoop {
                do { return .diffLoaded(try DiffLoading.load(old: old, new: new, store: store, loader: loader)) } catch {
                    return .diffFailed("\(error)")
                }
            }
        case .loadChoices:
            let source = state.source, graph = state.graph
            offLoop {
                do { return .snapshotsLoaded(try DiffLoading.choices(source, graph: graph)) } catch {
                    return .notice("could not list the store's snapshots: \(error)", isError: true)
                }
            }
        case .layoutDag(let key):
            let graph = state.graph
            offLoop {
                .dagLaidOut(key, DagLayout(graph: graph, features: key.features) { f in
                    DagState.label(graph: graph, feature: f, zoom: key.zoom, mark: key.marks[graph.key(f).string])
                })
            }
        case .loadStoreSummary:
            guard let path = state.source.store else { return }
            let graph = state.graph
            // Made now, so that `x` pressed while rows are still counted stops the stale sets too.
            staleCancel = CancelFlag()
            offLoop {
                do { return .storeSummary(try StoreWork.summary(store: path, graph: graph)) } catch {
                    return .storeSummaryFailed("\(error)")
                }
            }
        case .loadCachedStale:
            guard let path = state.source.store else { return }
            let graph = state.graph
            offLoop { StoreWork.cachedStale(store: path, graph: graph) }
        case .computeStale:
            guard let path = state.source.store else { return }
            let graph = state.graph, features = state.store?.rows.map(\.feature) ?? []
            let cancel = staleCancel.flatMap { $0.isCancelled ? nil : $0 } ?? CancelFlag()
            staleCancel = cancel
            stream { post in StoreWork.stale(store: path, graph: graph, features: features, cancel: cancel, post: post) }
        case .cancelStale:
            staleCancel?.cancel()
        case .loadSamples(let feature, let after, let before, let filter, let offset, let sort):
            guard let path = state.source.store else { return }
            let status = state.graph.index(of: feature).flatMap { state.store?.status(of: $0) }
            offLoop {
                do {
                    return try StoreWork.page(store: path, feature: feature, after: after, before: before, filter: filter,
                                              status: status, limit: StoreState.pageSize, offset: offset, sort: sort)
                } catch {
                    return .samplesFailed("could not read \(feature) rows: \(error)")
                }
            }
        case .openGraph(let reference):
            let store = state.source.store
            offLoop {
                do {
                    let (graph, source) = try GraphOpening.open(reference, store: GraphReference.store(of: reference) == nil ? store : nil)
                    return .opened(graph, source)
                } catch {
                    return .notice("could not open \(reference): \(error)", isError: true)
                }
            }
        case .findSample(let feature, let sample):
            guard let path = state.source.store else { return }
            offLoop {
                do {
                    let store = try MetaxyStore(path: path)
                    guard let rowid = try store.rowid(of: sample, feature: feature) else {
                        return .notice("no stored row of \(feature) has sample_uid \(sample)", isError: true)
                    }
                    return .samplesLoaded(feature: feature, try store.samplePage(feature: feature, after: rowid - 1, limit: StoreState.pageSize), atEnd: false)
                } catch {
                    return .notice("could not search \(feature): \(error)", isError: true)
                }
            }
        case .explain(let feature, let sample):
            guard let path = state.source.store else { return }
            let graph = state.graph
            offLoop {
                do { return .explained(try MetaxyStore(path: path).explain(feature: feature, sample: sample, graph: graph)) } catch {
                    return .notice("cannot explain sample \(sample): \(error)", isError: true)
                }
            }
        case .lookupSample(let sample, let request):
            guard let path = state.source.store else { return }
            let graph = state.graph
            offLoop {
                do { return .sampleLookedUp(try MetaxyStore(path: path).lookup(sample: sample, graph: graph), request: request) } catch {
                    return .sampleLookupFailed("\(error)", request: request)
                }
            }
        case .previewMigration(let old, let new, let request):
            guard let path = state.source.store, let directory = state.source.migrations else { return }
            let loader = options.loader
            offLoop {
                do {
                    return .migrationPreviewed(try MigrationWork.preview(old: old, new: new, store: path, directory: directory, loader: loader),
                                               request: request)
                } catch {
                    return .migrationFailed("cannot migrate: " + Self.reason(error), request: request)
                }
            }
        case .applyMigration:
            guard let path = state.source.store, let directory = state.source.migrations, let panel = state.migration,
                  let preview = panel.preview else { return }
            let loader = options.loader, request = panel.request
            stream { post in
                let prepared: MigrationWork.Prepared
                do { prepared = try MigrationWork.prepare(preview, store: path, directory: directory, loader: loader) } catch {
                    return .migrationFailed("cannot migrate: " + Self.reason(error), request: request)
                }
                do {
                    let (outcome, file) = try MigrationWork.apply(prepared) { post(.migrationStep($0)) }
                    return .migrationApplied(outcome, file: file)
                } catch {
                    return .migrationFailed("migration stopped: \(Self.reason(error)) (the features finished stay; `metaxy-tui migrations "
                        + "apply --store \(MetaxyStore.shown(path)) --migrations-dir \(directory.shown)` goes on)", request: request)
                }
            }
        case .exportDiff(let format, let path, let keys):
            guard let diff = state.diffScreen.diff?.diff.restricted(to: keys) else { return }
            dispatch(Self.write(path, format: format, count: keys.count) {
                switch format {
                case "mermaid": diff.mermaid()
                case "dot": diff.dot()
                default: diff.json().pretty() + "\n"
                }
            })
        }
    }

    /// An error's words without the `error: ` every CLI message starts with.
    static func reason(_ error: Error) -> String {
        let text = "\(error)"
        return text.hasPrefix("error: ") ? String(text.dropFirst(7)) : text
    }

    /// Work that reports as it goes (a stale set per feature) and ends with a final action.
    private func stream(_ work: @escaping @Sendable (@escaping @Sendable (Action) -> Void) -> Action) {
        if synchronous {
            let reports = Inbox()
            let final = work { reports.post($0, final: false) }
            for (action, _) in reports.drain() { dispatch(action) }
            return dispatch(final)
        }
        pendingWork += 1
        let inbox = inbox
        Thread.detachNewThread {
            TerminalGuard.withSignalStack { inbox.post(work { inbox.post($0, final: false) }) }
        }
    }

    /// Slow work: inline in a headless session, otherwise on a thread of its own, its result
    /// coming back through the inbox while keys keep being answered.
    private func offLoop(_ work: @escaping @Sendable () -> Action) {
        if synchronous { return dispatch(work()) }
        pendingWork += 1
        let inbox = inbox
        Thread.detachNewThread {
            TerminalGuard.withSignalStack { inbox.post(work()) }
        }
    }

    /// A changed graph file reloads by itself; the selection stays where it was.
    private func watchForChanges() -> Bool {
        if let root = state.source.watchedDirectory { return watchProject(root) }
        // Another graph was opened: the project's watch thread stops walking its tree.
        projectWatch?.stop.cancel()
        projectWatch = nil
        guard let path = state.source.watchedPath, let now = FileStamp(path), now != watched else { return false }
        if watchedPath != path {
            // A graph opened with :open: start watching it without reloading at once.
            watchedPath = path
            watched = now
            return false
        }
        watched = now
        perform(.reload)
        return true
    }

    /// A project's Python files are looked at four times a second on a thread of their own (a
    /// big tree takes a while to walk, and keys must not wait for it); once they have changed and
    /// then stayed still for a moment (an editor writes in steps), the input loop hears of it.
    private func watchProject(_ root: String) -> Bool {
        guard projectWatch?.root != root, !synchronous else { return false }
        projectWatch?.stop.cancel()
        let stop = CancelFlag(), inbox = inbox
        projectWatch = (root, stop)
        Thread.detachNewThread {
            var stamp = ProjectFiles.stamp(root), changedAt: Date?
            while !stop.isCancelled {
                usleep(250_000)
                let now = ProjectFiles.stamp(root)
                if now != stamp {
                    (stamp, changedAt) = (now, Date())
                } else if let changed = changedAt, Date().timeIntervalSince(changed) >= 0.2 {
                    changedAt = nil
                    inbox.post(.sourcesChanged(root), final: false)
                }
            }
        }
        return false
    }

    static func export(_ graph: FeatureGraph, format: String, path: String) -> Action {
        write(path, format: format, count: graph.count) {
            switch format {
            case "mermaid": try MermaidRenderer.render(graph)
            case "dot": try DotRenderer.render(graph)
            default: try GraphJSON.render(graph).pretty() + "\n"
            }
        }
    }

    private static func write(_ path: String, format: String, count: Int, _ text: () throws -> String) -> Action {
        do {
            try text().write(toFile: path, atomically: true, encoding: .utf8)
            return .notice("wrote \(path) (\(format), \(count) features)", isError: false)
        } catch {
            return .notice("could not write \(path): \(error.localizedDescription)", isError: true)
        }
    }
}

/// Modification time and size of a file, to notice that it changed.
struct FileStamp: Equatable {
    let modified: Date
    let size: Int

    init?(_ path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let modified = attributes[.modificationDate] as? Date else { return nil }
        self.modified = modified
        size = (attributes[.size] as? Int) ?? 0
    }
}

/// Results of background work, handed to the input loop; `final` ends a piece of work.
final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var actions: [(Action, Bool)] = []

    func post(_ action: Action, final: Bool = true) {
        lock.lock()
        actions.append((action, final))
        lock.unlock()
    }

    func drain() -> [(Action, Bool)] {
        lock.lock()
        defer { lock.unlock() }
        let taken = actions
        actions = []
        return taken
    }
}

/// Set from the input loop, read by a worker between features.
public final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    public init() {}

    func cancel() { lock.lock(); value = true; lock.unlock() }

    var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
