import MetaxyCore
import MetaxyStore
import TerminalKit

/// What happens to the app: a key, a new terminal size, or the result of slow work.
public enum Action: Sendable {
    case key(Key)
    case resize(Size)
    case graphLoaded(FeatureGraph)
    case themeLoaded(Theme, problem: String?)
    case notice(String, isError: Bool)
    case diffLoaded(DiffInput)
    case snapshotsLoaded([SidePicker.Choice])
    case dagLaidOut(DagKey, DagLayout)
    case storeSummary([StoreFeatureRow])
    case staleComputed(feature: Int, FeatureStatus, done: Int, total: Int)
    case staleFinished(cancelled: Bool)
    case samplesLoaded(SamplePage, atEnd: Bool)
    case explained(SampleExplanation)
    case opened(FeatureGraph, GraphSource)
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
    case computeStale
    case cancelStale
    case loadSamples(feature: FeatureKey, after: Int64?, before: Int64?, filter: SampleFilter, offset: Int, sort: SampleSort?)
    case explain(feature: FeatureKey, sample: SampleUID)
    case findSample(feature: FeatureKey, sample: SampleUID)
    /// `:open PATH`: another graph file, store or STORE@SNAPSHOT.
    case openGraph(String)
}

/// `update(state, action)`: the only place state changes. Pure: no I/O, no clock.
public enum Update {
    public static func apply(_ action: Action, to state: inout AppState) -> [Effect] {
        let effects = reduce(action, &state)
        _ = state.detail()  // so the view reads cached lines
        return effects
    }

    private static func reduce(_ action: Action, _ state: inout AppState) -> [Effect] {
        switch action {
        case .resize(let size):
            state.size = size
            state.scrollFeaturesToCursor()
            state.scrollDetailToCursor()
            return []
        case .graphLoaded(let graph):
            state.replaceGraph(graph)
            state.say("reloaded \(state.source.label): \(graph.count) features, snapshot \(graph.snapshotVersion.prefix(8))")
            return []
        case .themeLoaded(let theme, let problem):
            state.theme = theme
            if let problem { state.say(problem, error: true) } else { state.say("theme \(theme.name)") }
            return []
        case .notice(let text, let isError):
            state.diffLoading = false
            state.say(text, error: isError)
            return []
        case .diffLoaded(let input):
            state.diffLoading = false
            state.diff = DiffState(input: input)
            state.screen = .diff
            state.scrollDiffToCursor()
            let same = input.diff.old.snapshotVersion == input.diff.new.snapshotVersion
            state.say(same ? "both sides are snapshot \(input.diff.new.snapshotVersion.prefix(8)): nothing changed; p picks other sides"
                           : "\(input.oldLabel) → \(input.newLabel): \(input.diff.summary)")
            return []
        case .storeSummary(let rows):
            state.store?.rows = rows
            state.store?.progress = (0, rows.count)
            return [.computeStale]
        case .staleComputed(let feature, let status, let done, let total):
            state.store?.statuses[feature] = status
            state.store?.progress = (done, total)
            return []
        case .staleFinished(let cancelled):
            state.store?.progress = nil
            state.say(cancelled ? "stale sets: cancelled" : "stale sets computed for every feature")
            return []
        case .samplesLoaded(let page, let atEnd):
            state.store?.page = page
            if atEnd || (state.store?.pageCursor ?? 0) >= page.rows.count { state.store?.pageCursor = max(0, page.rows.count - 1) }
            return []
        case .opened(let graph, let source):
            state.source = source
            state.history = []
            (state.diff, state.dag, state.store, state.screen) = (nil, nil, nil, .graph)
            state.replaceGraph(graph)
            state.say("opened \(source.label): \(graph.count) features, snapshot \(graph.snapshotVersion.prefix(8))")
            return []
        case .explained(let explanation):
            state.store?.why = explanation
            return []
        case .dagLaidOut(let key, let layout):
            state.dagLaidOut(key, layout)
            return []
        case .snapshotsLoaded(let choices):
            state.picker = SidePicker(choices: choices)
            return []
        case .key(let key):
            state.message = nil
            // Suspend and redraw work whatever is open.
            if key == .ctrl("z") { return [.suspend] }
            if key == .ctrl("l") { return [.redraw] }
            if state.prompt != nil { return state.promptKey(key) }
            if state.help != nil { return state.helpKey(key) }
            if state.picker != nil { return state.pickerKey(key) }
            if case .mouse(let event) = key { state.mouse(event); return [] }
            if key == .resize { return [] }
            guard let command = Keymap.command(for: key, on: state.screen) else {
                state.say("\(KeyNotation.display(key)) does nothing here; ? lists every key")
                return []
            }
            if Layout(size: state.size).tooSmall, ![.quit, .quitAll, .suspend, .redraw].contains(command) { return [] }
            switch state.screen {
            case .graph: return state.run(command)
            case .dag: return state.runDag(command)
            case .diff: return state.runDiff(command)
            case .store: return state.runStore(command)
            }
        }
    }
}

extension AppState {
    mutating func say(_ text: String, error: Bool = false) {
        message = StatusMessage(text: text, isError: error)
    }

    mutating func run(_ command: Command) -> [Effect] {
        switch command {
        case .up: move(by: -1)
        case .down: move(by: 1)
        case .halfPageUp: move(by: -max(1, pageHeight / 2))
        case .halfPageDown: move(by: max(1, pageHeight / 2))
        case .pageUp: move(by: -max(1, pageHeight - 1))
        case .pageDown: move(by: max(1, pageHeight - 1))
        case .top: move(by: -Int(Int32.max))
        case .bottom: move(by: Int(Int32.max))
        case .collapse: collapseOrParent()
        case .expand: expandOrOpen()
        case .collapseAll: collapseAll()
        case .expandAll:
            collapsed = []
            rebuildRows(keeping: selectedRow?.identity)
        case .toggleTree:
            mode = mode == .tree ? .flat : .tree
            rebuildRows(keeping: selectedFeature.map { graph.key($0).string } ?? selectedRow?.identity)
            say(mode == .tree ? "tree: features grouped by key parts" : "flat: features in topological order")
        case .nextPane, .previousPane: setFocus(focus == .features ? .detail : .features)
        case .featuresPane: setFocus(.features)
        case .detailPane: setFocus(.detail)
        case .open: open()
        case .back: back()
        case .historyBack: goBack()
        case .filter:
            prompt = Prompt(kind: .filter, text: filter, previousFilter: filter)
            _ = searchIndex()  // built now, so the first typed letter answers as fast as the rest
        case .nextMatch: nextMatch(forward: true)
        case .previousMatch: nextMatch(forward: false)
        case .help: help = HelpOverlay()
        case .commandLine: prompt = Prompt(kind: .command, text: "", previousFilter: filter)
        case .copyVersion: return copyVersion()
        case .toggleFullVersions:
            fullVersions.toggle()
            scrollDetailToCursor()
        case .cycleTheme:
            let names = themeNames.isEmpty ? [theme.name] : themeNames
            let next = names[((names.firstIndex(of: theme.name) ?? -1) + 1) % names.count]
            return [.loadTheme(next)]
        case .reload: return reload()
        case .redraw: return [.redraw]
        case .suspend: return [.suspend]
        case .quit, .quitAll:
            running = false
            return [.quit]
        case .diffScreen: return openDiff()
        case .dagScreen: return openDag()
        case .storeScreen: return openStore()
        case .why, .cycleSampleFilter, .cancelStale, .jumpUpstream, .cycleSort: return runStore(command)
        case .graphScreen: screen = .graph
        case .pickSides, .changedOnly, .onlyAdded, .onlyRemoved, .onlyModified, .nextChange, .previousChange, .swapSides,
             .timelineBack, .timelineForward:
            return runDiff(command)
        case .panLeft, .panRight, .panUp, .panDown, .nextField, .previousField, .zoom, .focusUp, .focusUpAll, .focusDown,
             .focusDownAll, .focusBoth, .focusAll, .diffColours:
            return runDag(command)
        }
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

    /// The new graph, with the same feature and field selected when they still exist.
    mutating func replaceGraph(_ new: FeatureGraph) {
        let identity = selectedRow?.identity
        graph = new
        tree = FeatureTree(graph: new)
        search = nil
        rebuildRows(keeping: identity)
        if let f = selectedFeature, let field = selectedField, field >= graph.specs[f].fields.count { selectedField = nil }
        clampDetail()
    }

    private mutating func copyVersion() -> [Effect] {
        guard let f = selectedFeature else {
            say("select a feature to copy its version", error: true)
            return []
        }
        if focus == .detail, let field = selectedField {
            let ref = FieldRef(feature: f, field: field)
            say("copied the version of \(graph.fqString(ref)) (OSC 52): \(graph.fieldVersion(ref).prefix(16))…")
            return [.copy(graph.fieldVersion(ref))]
        }
        say("copied the feature version of \(graph.key(f).string) (OSC 52): \(graph.featureVersion(f).prefix(16))…")
        return [.copy(graph.featureVersion(f))]
    }
}
