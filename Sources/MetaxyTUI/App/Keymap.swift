import TerminalKit

/// Everything a key can ask for. The keymap table below is the only place keys are named, so
/// help lists exactly what works.
enum Command: String, CaseIterable, Sendable {
    case up, down, pageUp, pageDown, halfPageUp, halfPageDown, top, bottom
    case collapse, expand, collapseAll, expandAll, toggleTree
    case nextPane, previousPane, featuresPane, detailPane
    case open, back, historyBack
    case filter, nextMatch, previousMatch
    case help, commandLine
    case copyVersion, reload, toggleFullVersions, cycleTheme
    case redraw, suspend, quit, quitAll
    case diffScreen, graphScreen, pickSides, changedOnly, onlyAdded, onlyRemoved, onlyModified
    case nextChange, previousChange, swapSides, timelineBack, timelineForward
    case dagScreen, panLeft, panRight, panUp, panDown, nextField, previousField, zoom
    case focusUp, focusUpAll, focusDown, focusDownAll, focusBoth, focusAll, diffColours
    case storeScreen, why, cycleSampleFilter, cancelStale, jumpUpstream, cycleSort, lookupSample, migrate
}

/// Which screen a binding works on; a screen's own bindings win over the global ones.
enum Screen: String, Sendable { case graph, dag, diff, store, sample }

struct Binding: Sendable {
    let keys: [Key]
    let command: Command
    let group: String
    let summary: String
    /// nil: every screen.
    var screen: Screen? = nil
}

/// The default keymap, after the conventions of lazygit, k9s, tig and htop (tui-anchors §2).
enum Keymap {
    static let bindings: [Binding] = [
        Binding(keys: [.down, .char("j")], command: .down, group: "Move", summary: "next row"),
        Binding(keys: [.up, .char("k")], command: .up, group: "Move", summary: "previous row"),
        Binding(keys: [.ctrl("d")], command: .halfPageDown, group: "Move", summary: "half a page down"),
        Binding(keys: [.ctrl("u")], command: .halfPageUp, group: "Move", summary: "half a page up"),
        Binding(keys: [.pageDown, .ctrl("f")], command: .pageDown, group: "Move", summary: "page down"),
        Binding(keys: [.pageUp, .ctrl("b")], command: .pageUp, group: "Move", summary: "page up"),
        Binding(keys: [.home, .char("g")], command: .top, group: "Move", summary: "first row"),
        Binding(keys: [.end, .char("G")], command: .bottom, group: "Move", summary: "last row"),
        Binding(keys: [.left, .char("h")], command: .collapse, group: "Tree", summary: "collapse, or go to the parent group", screen: .graph),
        Binding(keys: [.right, .char("l")], command: .expand, group: "Tree", summary: "expand, or show the detail", screen: .graph),
        Binding(keys: [.char("-")], command: .collapseAll, group: "Tree", summary: "collapse every group", screen: .graph),
        Binding(keys: [.char("=")], command: .expandAll, group: "Tree", summary: "expand every group", screen: .graph),
        Binding(keys: [.char("t")], command: .toggleTree, group: "Tree", summary: "tree by key parts / flat topological list", screen: .graph),
        Binding(keys: [.tab], command: .nextPane, group: "Panes", summary: "next pane"),
        Binding(keys: [.backTab], command: .previousPane, group: "Panes", summary: "previous pane"),
        Binding(keys: [.char("1")], command: .featuresPane, group: "Panes", summary: "features pane", screen: .graph),
        Binding(keys: [.char("2")], command: .detailPane, group: "Panes", summary: "detail pane", screen: .graph),
        Binding(keys: [.enter], command: .open, group: "Panes", summary: "open the detail; on a feature or field there, jump to it"),
        Binding(keys: [.escape], command: .back, group: "Panes", summary: "back: clear the filter, to the features, from a jump; to the Graph screen"),
        Binding(keys: [.char("[")], command: .historyBack, group: "Panes", summary: "back to the feature and field before the last jump", screen: .graph),
        Binding(keys: [.char("/")], command: .filter, group: "Search", summary: "filter features (terms all match; smart case)", screen: .graph),
        Binding(keys: [.char("n")], command: .nextMatch, group: "Search", summary: "next match", screen: .graph),
        Binding(keys: [.char("N")], command: .previousMatch, group: "Search", summary: "previous match", screen: .graph),
        Binding(keys: [.char("d")], command: .diffScreen, group: "Screens", summary: "Diff screen: two snapshots or files merged (again: back)"),
        Binding(keys: [.char("D")], command: .dagScreen, group: "Screens", summary: "DAG screen: the graph drawn in layers (again: back)"),
        Binding(keys: [.char("S")], command: .storeScreen, group: "Screens", summary: "Store screen: rows, stale sets, why a sample is stale (again: back)"),
        Binding(keys: [.char("w")], command: .why, group: "Store", summary: "why the selected sample is or is not stale", screen: .store),
        Binding(keys: [.char("f")], command: .cycleSampleFilter, group: "Store", summary: "samples: all / changed / removed / added (upstream has them, not stored)", screen: .store),
        Binding(keys: [.char("x")], command: .cancelStale, group: "Store", summary: "cancel the stale-set computation", screen: .store),
        Binding(keys: [.char("o")], command: .cycleSort, group: "Store", summary: "sort the samples: write order, then each column up and down", screen: .store),
        Binding(keys: [.char("u")], command: .jumpUpstream, group: "Store", summary: "with why open: the same sample in the upstream feature (a changed input's first)", screen: .store),
        Binding(keys: [.char("/")], command: .filter, group: "Store", summary: "find a sample_uid among the selected feature's rows", screen: .store),
        Binding(keys: [.char("L")], command: .lookupSample, group: "Store", summary: "Sample screen: the selected sample in every feature", screen: .store),
        Binding(keys: [.enter], command: .open, group: "Sample", summary: "why the sample is or is not stale here, field by field (again: close)", screen: .sample),
        Binding(keys: [.char("w")], command: .why, group: "Sample", summary: "why, field by field", screen: .sample),
        Binding(keys: [.char("n")], command: .nextChange, group: "Sample", summary: "next stale feature in dependency order (down the pipeline)", screen: .sample),
        Binding(keys: [.char("N")], command: .previousChange, group: "Sample", summary: "previous stale feature in dependency order", screen: .sample),
        Binding(keys: [.char("u")], command: .jumpUpstream, group: "Sample", summary: "upstream: where a stale field's change came from, else the first dependency", screen: .sample),
        Binding(keys: [.escape], command: .back, group: "Sample", summary: "close why, else back to the screen it was opened from", screen: .sample),
        Binding(keys: [.left, .char("h")], command: .panLeft, group: "DAG", summary: "pan left", screen: .dag),
        Binding(keys: [.right, .char("l")], command: .panRight, group: "DAG", summary: "pan right", screen: .dag),
        Binding(keys: [.up, .char("k")], command: .panUp, group: "DAG", summary: "pan up", screen: .dag),
        Binding(keys: [.down, .char("j")], command: .panDown, group: "DAG", summary: "pan down", screen: .dag),
        Binding(keys: [.char("f")], command: .nextField, group: "DAG", summary: "next field of the selected feature: its lineage lights up", screen: .dag),
        Binding(keys: [.char("F")], command: .previousField, group: "DAG", summary: "previous field", screen: .dag),
        Binding(keys: [.char("z")], command: .zoom, group: "DAG", summary: "zoom: keys / versions / fields", screen: .dag),
        Binding(keys: [.char("u")], command: .focusUp, group: "DAG", summary: "focus on the selection, one more level upstream", screen: .dag),
        Binding(keys: [.char("U")], command: .focusUpAll, group: "DAG", summary: "focus, all upstream", screen: .dag),
        Binding(keys: [.char("o")], command: .focusDown, group: "DAG", summary: "focus, one more level downstream", screen: .dag),
        Binding(keys: [.char("O")], command: .focusDownAll, group: "DAG", summary: "focus, all downstream", screen: .dag),
        Binding(keys: [.char("b")], command: .focusBoth, group: "DAG", summary: "focus, one more level both ways", screen: .dag),
        Binding(keys: [.char("a")], command: .focusAll, group: "DAG", summary: "the whole graph", screen: .dag),
        Binding(keys: [.char("m")], command: .diffColours, group: "DAG", summary: "diff colours and glyphs (with a diff loaded)", screen: .dag),
        Binding(keys: [.char("p")], command: .pickSides, group: "Diff", summary: "pick the old and the new side (snapshots, the graph file)", screen: .diff),
        Binding(keys: [.char("c")], command: .changedOnly, group: "Diff", summary: "changes only / everything", screen: .diff),
        Binding(keys: [.char("a")], command: .onlyAdded, group: "Diff", summary: "show added features (again: all)", screen: .diff),
        Binding(keys: [.char("r")], command: .onlyRemoved, group: "Diff", summary: "show removed features (again: all)", screen: .diff),
        Binding(keys: [.char("m")], command: .onlyModified, group: "Diff", summary: "show changed features (again: all)", screen: .diff),
        Binding(keys: [.char("n")], command: .nextChange, group: "Diff", summary: "next change", screen: .diff),
        Binding(keys: [.char("N")], command: .previousChange, group: "Diff", summary: "previous change", screen: .diff),
        Binding(keys: [.char("s")], command: .swapSides, group: "Diff", summary: "swap old and new", screen: .diff),
        Binding(keys: [.char("<")], command: .timelineBack, group: "Diff", summary: "the field's previous change in the store's snapshots", screen: .diff),
        Binding(keys: [.char(">")], command: .timelineForward, group: "Diff", summary: "the field's next change in the store's snapshots", screen: .diff),
        Binding(keys: [.char("M")], command: .migrate, group: "Diff",
                summary: "migrate old → new without a recompute: preview, then Enter writes and applies it", screen: .diff),
        Binding(keys: [.char("?"), .function(1)], command: .help, group: "General", summary: "this help (type to filter it)"),
        Binding(keys: [.char(":")], command: .commandLine, group: "General",
                summary: "command: q, theme NAME, goto KEY, open PATH, diff OLD NEW, sample UID, export mermaid|dot|json FILE, reload"),
        Binding(keys: [.char("y")], command: .copyVersion, group: "General", summary: "copy the selected version (OSC 52; Graph and Diff screens)"),
        Binding(keys: [.char("v")], command: .toggleFullVersions, group: "General", summary: "short / full versions (Graph and Diff screens)"),
        Binding(keys: [.char("T")], command: .cycleTheme, group: "General", summary: "next theme"),
        Binding(keys: [.char("R")], command: .reload, group: "General", summary: "reload the graph (also automatic when its file changes)"),
        Binding(keys: [.ctrl("l")], command: .redraw, group: "General", summary: "redraw the screen"),
        Binding(keys: [.ctrl("z")], command: .suspend, group: "General", summary: "suspend (resume with fg)"),
        Binding(keys: [.char("q")], command: .quit, group: "General", summary: "close the overlay, or quit"),
        Binding(keys: [.char("Q"), .ctrl("c")], command: .quitAll, group: "General", summary: "quit"),
    ]

    private static let tables: [Screen?: [Key: Command]] = {
        var tables: [Screen?: [Key: Command]] = [:]
        for binding in bindings { for key in binding.keys { tables[binding.screen, default: [:]][key] = binding.command } }
        return tables
    }()

    /// The command for `key` on `screen`: the screen's own binding, else the global one.
    static func command(for key: Key, on screen: Screen) -> Command? {
        tables[screen]?[key] ?? tables[nil]?[key]
    }

    /// The footer's short lists of hints.
    static let diffHints: [(String, String)] = [
        ("↑↓", "move"), ("n/N", "change"), ("c", "changed"), ("a/r/m", "filter"), ("s", "swap"),
        ("p", "sides"), ("M", "migrate"), ("</>", "timeline"), ("d", "graph"), ("?", "help"), ("q", "quit"),
    ]

    static let dagHints: [(String, String)] = [
        ("←↑↓→", "pan"), ("Tab", "next box"), ("f", "field"), ("z", "zoom"), ("u/o/b", "focus"), ("a", "all"),
        ("⏎", "open"), ("D", "graph"), ("?", "help"), ("q", "quit"),
    ]

    static let storeHints: [(String, String)] = [
        ("↑↓", "move"), ("Tab", "samples"), ("f", "filter"), ("w", "why"), ("L", "sample"), ("x", "cancel"),
        ("S", "graph"), ("?", "help"), ("q", "quit"),
    ]

    static let sampleHints: [(String, String)] = [
        ("↑↓", "move"), ("⏎", "why"), ("n/N", "next stale"), ("u", "upstream"), ("Esc", "back"), ("?", "help"), ("q", "quit"),
    ]

    static let hints: [(String, String)] = [
        ("↑↓", "move"), ("←→", "fold"), ("⏎", "open"), ("Tab", "pane"), ("/", "filter"), ("D", "dag"), ("d", "diff"),
        ("t", "tree/flat"), (":", "command"), ("?", "help"), ("q", "quit"),
    ]
}
