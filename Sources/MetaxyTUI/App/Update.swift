import MetaxyCore
import TerminalKit

/// What happens to the app: a key, a new terminal size, or the result of slow work.
public enum Action: Sendable {
    case key(Key)
    case resize(Size)
    case graphLoaded(FeatureGraph)
    /// A watched project's source files changed (and then stayed still).
    case sourcesChanged(String)
    case themeLoaded(Theme, problem: String?)
    case notice(String, isError: Bool)
    case diffLoaded(DiffInput)
    case diffFailed(String)
    case snapshotsLoaded([SidePicker.Choice])
    case dagLaidOut(DagKey, DagLayout)
    case storeSummary([StoreFeatureRow])
    case storeSummaryFailed(String)
    case staleComputed(feature: Int, FeatureStatus, done: Int, total: Int)
    case staleFailed(feature: Int, String, done: Int, total: Int)
    case staleFinished(cancelled: Bool)
    /// The stale sets the last status computed (from the cache), and how old they are (seconds):
    /// shown until the ones of now come.
    case staleCached([Int: FeatureStatus], age: Double)
    case staleProgress(done: Int, total: Int)
    /// A page of `feature`'s rows; one for a feature no longer selected (read late) is dropped.
    /// A page, for the filter it was asked with: one that arrives after the filter changed is dropped.
    case samplesLoaded(feature: FeatureKey, SamplePage, atEnd: Bool, filter: SampleFilter = .all)
    case samplesFailed(String)
    case explained(SampleExplanation)
    /// The answer to lookup `request`; one for an earlier request (another store, graph or sample) is dropped.
    case sampleLookedUp(SampleLookup, request: Int)
    case sampleLookupFailed(String, request: Int)
    case opened(FeatureGraph, GraphSource)
    /// The preview asked by the panel numbered `request`; one for a panel closed since is dropped.
    case migrationPreviewed(MigrationPreview, request: Int)
    case migrationFailed(String, request: Int)
    case migrationStep(String)
    case migrationApplied(MigrationOutcome, file: String)
}

/// Work `update` asks the shell to do; results come back as actions.
public enum Effect: Equatable, Sendable {
    case quit, suspend, redraw, reload
    case loadTheme(String)
    case export(format: String, path: String)
    case copy(String)
    /// Compare two graph references (files, stores, STORE@SNAPSHOT).
    case loadDiff(old: String, new: String)
    /// List what the picker offers: the store's snapshots and the graph file.
    case loadChoices
    case exportDiff(format: String, path: String, keys: Set<String>)
    /// Lay out a DAG drawing (slow for big graphs).
    case layoutDag(DagKey)
    case loadStoreSummary
    /// The stale sets the store's cache holds, for the Graph screen's heat column before the
    /// Store screen computes the ones of now.
    case loadCachedStale
    case computeStale
    case cancelStale
    case loadSamples(feature: FeatureKey, after: Int64?, before: Int64?, filter: SampleFilter, offset: Int, sort: SampleSort?)
    case explain(feature: FeatureKey, sample: SampleUID)
    case findSample(feature: FeatureKey, sample: SampleUID)
    /// One sample in every feature, for the Sample screen.
    case lookupSample(SampleUID, request: Int)
    /// `:open PATH`: another graph file, store or STORE@SNAPSHOT.
    case openGraph(String)
    /// What migrating the diff's old side to its new side would write (nothing is written).
    case previewMigration(old: String, new: String, request: Int)
    /// Write and apply the migration previewed.
    case applyMigration
}

/// `update(state, action)`: the only place state changes. Pure: no I/O, no clock.
/// A key goes to the open overlay, else to the active screen, else to the global keymap: each
/// at most once, and no screen hands a key back.
public enum Update {
    public static func apply(_ action: Action, to state: inout AppState) -> [Effect] {
        switch action {
        case .key(let key): return state.key(key)
        case .resize(let size):
            state.size = size
            state.graphScreen.resize(size)
            state.diffScreen.scrollToCursor(size)
            state.dag?.scrollToSelection(size)
            return []
        case .graphLoaded(let graph):
            state.replaceGraph(graph)
            state.say("reloaded \(state.source.label): \(graph.count) features, \(graph.versionNoun) \(graph.snapshotVersion.prefix(8))")
            // A diff whose new side is what was reloaded is made again, with the same filters.
            var effects = (state.screen == .dag ? state.requestLayout() : []) + [Effect.loadCachedStale]
            if let input = state.diffScreen.diff?.input, input.newReference == state.source.reference {
                effects += state.diffScreen.request(old: input.requestedOld, new: input.newReference)
            }
            return effects
        case .sourcesChanged(let root):
            guard root == state.source.watchedDirectory else { return [] }
            state.say("\(root.split(separator: "/").last ?? ""): a source file changed, exporting the graph again…")
            return [.reload]
        case .themeLoaded(let theme, let problem):
            state.theme = theme
            if let problem { state.say(problem, error: true) } else { state.say("theme \(theme.name)") }
            return []
        case .notice(let text, let isError):
            state.say(text, error: isError)
            return []
        case .diffLoaded(let input):
            state.diffScreen.loaded(input, size: state.size)
            state.screen = .diff
            let same = input.diff.old.snapshotVersion == input.diff.new.snapshotVersion
            state.say(same ? "both sides are snapshot \(input.diff.new.snapshotVersion.prefix(8)): nothing changed; p picks other sides"
                           : "\(input.oldLabel) → \(input.newLabel): \(input.diff.summary)")
            return []
        case .diffFailed(let problem):
            state.diffScreen.failed(problem)
            state.say("could not compare: \(problem)", error: true)
            return []
        case .storeSummary(let rows):
            guard var s = state.store else { return [] }
            let effects = s.summaryLoaded(rows)
            state.store = s
            return effects
        case .storeSummaryFailed(let problem):
            state.store?.summaryFailed(problem)
            state.say("could not read the store: \(problem)", error: true)
            return []
        case .staleComputed(let feature, let status, let done, let total):
            state.store?.statuses[feature] = .done(status)
            state.store?.progress = (done, total)
            return []
        case .staleFailed(let feature, let problem, let done, let total):
            state.store?.statuses[feature] = .failed(problem)
            state.store?.progress = (done, total)
            state.say("stale set of \(state.graph.key(feature).string): \(problem)", error: true)
            return []
        case .staleCached(let statuses, let age):
            // Read for the graph open when asked: a graph opened or reloaded since has other features.
            let graph = state.graph
            let fitting = statuses.filter { f, status in
                f < graph.count && graph.key(f) == status.key && graph.featureVersion(f) == status.featureVersion
            }
            state.cachedStale = fitting.isEmpty ? nil : (fitting, age)
            if !fitting.isEmpty { state.store?.showCached(fitting, age: age) }
            return []
        case .staleProgress(let done, let total):
            state.store?.progress = (done, total)
            return []
        case .staleFinished(let cancelled):
            state.store?.progress = nil
            if !cancelled { state.store?.cachedAge = nil }
            let failed = state.store?.statuses.values.filter(\.isFailure).count ?? 0
            if failed > 0 {
                state.say("stale sets: \(counted(failed, "feature")) could not be computed (✗ on their rows)", error: true)
            } else {
                state.say(cancelled ? "stale sets: cancelled" : "stale sets computed for every feature")
            }
            return []
        case .samplesLoaded(let feature, let page, let atEnd, let filter):
            guard state.store?.selectedKey(state.graph) == feature, state.store?.filter == filter else { return [] }
            state.store?.pageLoaded(page, atEnd: atEnd)
            return []
        case .samplesFailed(let problem):
            state.store?.pageProblem = problem
            state.say(problem, error: true)
            return []
        case .opened(let graph, let source):
            state.source = source
            state.graphScreen = GraphScreen(graph: graph, size: state.size)
            (state.diffScreen, state.dag, state.store, state.sampleScreen, state.screen) = (DiffScreen(), nil, nil, nil, .graph)
            state.cachedStale = nil
            state.say("opened \(source.label): \(graph.count) features, \(graph.versionNoun) \(graph.snapshotVersion.prefix(8))")
            return [.loadCachedStale]
        case .explained(let explanation):
            state.store?.why = explanation
            return []
        case .sampleLookedUp(let lookup, let request):
            guard state.sampleScreen?.request == request else { return [] }
            state.sampleScreen?.loaded(lookup)
            return []
        case .sampleLookupFailed(let problem, let request):
            guard let uid = state.sampleScreen?.uid, state.sampleScreen?.request == request else { return [] }
            state.sampleScreen?.problem = problem
            state.say("sample \(uid): \(problem)", error: true)
            return []
        case .dagLaidOut(let key, let layout):
            let current = state.dagKey
            state.dag?.laidOut(key, layout, current: current, size: state.size)
            return []
        case .migrationPreviewed(let preview, let request):
            guard state.migration?.request == request else { return [] }
            state.migrationPreviewed(preview)
            return []
        case .migrationStep(let progress):
            guard let preview = state.migration?.preview, case .applying? = state.migration?.phase else { return [] }
            state.migration?.phase = .applying(preview, progress: progress)
            return []
        case .migrationFailed(let problem, let request):
            guard state.migration?.request == request else { return [] }
            state.migration = nil
            state.say(problem, error: true)
            return []
        case .migrationApplied(let outcome, let file):
            return state.migrationApplied(outcome, file: file)
        case .snapshotsLoaded(let choices):
            state.picker = SidePicker(choices: choices, old: state.diffScreen.diff?.input.oldReference,
                                      new: state.diffScreen.diff?.input.newReference)
            return []
        }
    }
}

extension AppState {
    mutating func key(_ key: Key) -> [Effect] {
        message = nil
        // Suspend and redraw work whatever is open.
        if key == .ctrl("z") { return [.suspend] }
        if key == .ctrl("l") { return [.redraw] }
        if key == .resize { return [] }
        if prompt != nil { return promptKey(key) }
        if help != nil { return helpKey(key) }
        if picker != nil { return pickerKey(key) }
        if migration != nil { return migrationKey(key) }
        if case .mouse(let event) = key {
            if screen == .graph, !Layout(size: size).tooSmall { graphScreen.mouse(event) }
            return []
        }
        guard let command = Keymap.command(for: key, on: screen) else {
            say("\(KeyNotation.display(key)) does nothing here; ? lists every key")
            return []
        }
        if Layout(size: size).tooSmall, ![.quit, .quitAll, .suspend, .redraw].contains(command) { return [] }
        var context = context
        let handled: Bool
        switch screen {
        case .graph: handled = graphScreen.update(command, &context)
        case .diff: handled = diffScreen.update(command, &context)
        case .dag: handled = dag?.update(command, &context) ?? false
        case .store: handled = store?.update(command, &context) ?? false
        case .sample: handled = sampleScreen?.update(command, &context) ?? false
        }
        let effects = absorb(context)
        return handled ? effects + (screen == .dag ? requestLayout() : []) : global(command)
    }

    /// The keys that work on every screen: screens, overlays, theme, reload, quit.
    mutating func global(_ command: Command) -> [Effect] {
        switch command {
        case .help: help = HelpOverlay()
        case .commandLine: prompt = Prompt(kind: .command, text: "", previousFilter: graphScreen.filter)
        case .cycleTheme:
            let names = themeNames.isEmpty ? [theme.name] : themeNames
            return [.loadTheme(names[((names.firstIndex(of: theme.name) ?? -1) + 1) % names.count])]
        case .reload: return reload()
        case .redraw: return [.redraw]
        case .suspend: return [.suspend]
        case .quit, .quitAll:
            running = false
            return [.quit]
        case .graphScreen, .back: screen = .graph
        case .diffScreen: return screen == .diff ? show(.graph) : openDiff()
        case .dagScreen: return screen == .dag ? show(.graph) : openDag()
        case .storeScreen: return screen == .store ? show(.graph) : openStore()
        default:
            let name = screen.rawValue == "dag" ? "DAG" : screen.rawValue.capitalized
            say("that key does nothing on the \(name) screen; ? lists every key")
        }
        return []
    }

    private mutating func show(_ new: Screen) -> [Effect] {
        screen = new
        return []
    }

    mutating func reload() -> [Effect] {
        guard source.reference != nil else {
            say("the bundled example has no file to reload; open a graph file to use R", error: true)
            return []
        }
        say("reloading \(source.label)…")
        return [.reload]
    }

    mutating func replaceGraph(_ new: FeatureGraph) {
        graphScreen.replaceGraph(new)
        if let notice = graphScreen.takeNotice() { message = notice }
        if new.count == 0 { dag = nil }
        if var d = dag {
            if d.selected >= new.count { d.selected = new.topologicalOrder.first ?? 0 }
            if let focus = d.focus, focus >= new.count { d.focus = nil }
            if let field = d.field, field >= (new.specs.indices.contains(d.selected) ? new.specs[d.selected].fields.count : 0) { d.field = nil }
            (d.layout, d.layoutKey) = (nil, nil)
            dag = d
        }
        // Stale sets and lookups were computed against the old graph's features.
        store = nil
        cachedStale = nil
        sampleScreen = nil
        if screen == .store || screen == .sample { screen = .graph }
    }

    /// `d`: the diff already made, else the default one: what is open (the graph file, or the
    /// store's snapshot) against the store's latest snapshot, or the snapshot before it when they
    /// are the same (so it opens on what the latest snapshot changed).
    mutating func openDiff() -> [Effect] {
        screen = .diff
        if diffScreen.diff != nil || diffScreen.loading != nil { return [] }
        guard let store = source.store else {
            say("nothing to compare yet: :diff OLD NEW (graph files or STORE@SNAPSHOT), or open with --store STORE")
            return []
        }
        return requestDiff(old: store + "@latest", new: source.watchedPath ?? source.reference ?? store + "@latest")
    }

    mutating func requestDiff(old: String, new: String) -> [Effect] {
        screen = .diff
        say("comparing \(old) with \(new)…")
        return diffScreen.request(old: old, new: new)
    }

    /// `D`: the drawing around the selected feature — the whole graph when it is small, else
    /// one level up and down (a big graph drawn whole helps nobody and costs time).
    mutating func openDag() -> [Effect] {
        screen = .dag
        guard let start = graphScreen.selectedFeature ?? graph.topologicalOrder.first else {
            dag = nil
            return []
        }
        if dag == nil || dag?.selected != start {
            var d = DagState(selected: start)
            d.focus = graph.count <= 60 ? nil : start
            dag = d
        }
        return requestLayout()
    }

    var dagKey: DagKey? { dag?.key(graph: graph, diff: diffScreen.diff?.diff) }

    /// The layout is made off the input loop, unless the one drawn already fits.
    func requestLayout() -> [Effect] {
        guard let key = dagKey, dag?.layoutKey != key else { return [] }
        return [.layoutDag(key)]
    }

    mutating func openStore() -> [Effect] {
        guard source.store != nil else {
            say("no store: open one (metaxy-tui STORE) or add --store STORE", error: true)
            return []
        }
        screen = .store
        guard store == nil else { return [] }
        // The features come from the graph at once and the first page right after; counts and
        // stale sets, which scan whole tables, follow in the background.
        var s = StoreState(graph: graph)
        if let cached = cachedStale { s.showCached(cached.statuses, age: cached.age) }
        let effects = s.loadFirstPage(graph: graph)
        store = s
        return effects + [.loadStoreSummary]
    }
}
