import Foundation
import MetaxyCore
@testable import MetaxyStore
@testable import MetaxyTUI
import TerminalKit
import TestSupport
import Testing

/// Random keys in every state: every key of every keymap, printable noise, escape sequences,
/// `:` commands with junk, mouse events and resizes from 1×1 to 250×80. After each key the
/// frame is exactly the terminal's size, nothing was drawn outside its pane, and every cursor
/// is in bounds. A failure prints its seed and the keys that led to it, so it replays.
/// `METAXY_FUZZ_KEYS` sets the total (CI runs at least 200,000).
@Suite struct FuzzTests {
    static let total = Int(ProcessInfo.processInfo.environment["METAXY_FUZZ_KEYS"] ?? "") ?? 200_000

    /// Each scenario's share of the keys, by how much state it has to explore.
    static let scenarios: [(name: String, share: Int)] = [
        ("example", 3), ("store", 5), ("store-loading", 4), ("store-vanished", 2), ("empty", 1), ("large", 2),
    ]

    @Test(arguments: scenarios.indices)
    func randomKeys(scenario: Int) throws {
        let (name, share) = Self.scenarios[scenario]
        let keys = Self.total * share / Self.scenarios.reduce(0) { $0 + $1.share }
        let seed = UInt64(ProcessInfo.processInfo.environment["METAXY_FUZZ_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970 * 1000) &+ UInt64(scenario)
        print("fuzz \(name): seed \(seed), \(keys) keys (replay: METAXY_FUZZ_SEED=\(seed))")
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var driver = try FuzzDriver(scenario: name, dir: dir, seed: seed)
        let failures = driver.run(keys: keys)
        #expect(failures.isEmpty, "fuzz \(name) seed \(seed): \(failures.prefix(3).joined(separator: "\n"))")
        print("fuzz \(name): \(driver.pressed) keys pressed, \(driver.resizes) resizes, no failure: \(failures.isEmpty)")
    }

    /// Every check of the fuzz driver holds on a frame drawn right (so the checks can fail at all).
    @Test func invariantsCatchAPlantedOverflow() throws {
        var buffer = ScreenBuffer(size: Size(width: 10, height: 3))
        buffer.clipped(to: Rect(x: 0, y: 0, width: 5, height: 1)) { $0.put("0123456789", x: 0, y: 0, limit: 10) }
        #expect(buffer.overflows == 0, "put stops at the clip")
        buffer.clipped(to: Rect(x: 0, y: 0, width: 5, height: 1)) { $0.fill(Rect(x: 3, y: 0, width: 4, height: 2), role: .text) }
        #expect(buffer.overflows == 6, "a fill past the pane is refused and counted, cell by cell")
    }
}

/// Drives one scenario: a real session (effects run inline) or, for the loading states, the
/// pure update with slow work left pending and its results (or failures) arriving at random.
struct FuzzDriver {
    var rng: GraphGenerator.Random
    let session: Session
    var state: AppState
    /// Effects are dropped and results injected instead of running the session's work.
    let pure: Bool
    let dir: URL
    let store: String?
    var pressed = 0
    var resizes = 0
    /// The last keys, for the failure message.
    var recent: [String] = []
    let scenario: String

    init(scenario: String, dir: URL, seed: UInt64) throws {
        self.scenario = scenario
        rng = GraphGenerator.Random(seed: seed)
        self.dir = dir
        let opened: (FeatureGraph, GraphSource)
        var store: String?
        switch scenario {
        case "example":
            opened = try Harness.demo()
        case "empty":
            opened = (try Fixtures.graph("features: []\n"), GraphSource(label: "empty.yaml", reference: nil, watchedPath: nil))
        case "large":
            let graph = try FeatureGraph(specs: GraphGenerator.dag(features: 10_000, seed: seed % 1000))
            opened = (graph, GraphSource(label: "large", reference: nil, watchedPath: nil))
        default:
            store = try StaleStoreFixture.make(in: dir, extraRoots: 250)
            let graphFile = dir.appendingPathComponent("graph.json").path
            try FileManager.default.copyItem(atPath: Fixtures.vectors.appendingPathComponent("graphs/video_audio_v2.json").path, toPath: graphFile)
            opened = try GraphOpening.open(graphFile, store: store)
        }
        self.store = store
        let pure = scenario == "store-loading" || scenario == "large"
        let terminal = VirtualTerminal(size: Size(width: 120, height: 40))
        session = Session.headless(opened, terminal: terminal, catalog: Harness.themes)
        if scenario == "store-vanished", let store {
            // Opened, then the file goes: every later read fails and must say so.
            try FileManager.default.removeItem(atPath: store)
        }
        state = session.state
        self.pure = pure
    }

    mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }

    /// The keys a user can press: every binding, then noise.
    static let bound: [Key] = Array(Set(Keymap.bindings.flatMap(\.keys))).sorted { "\($0)" < "\($1)" }
    static let byScreen: [Screen: [Key]] = Dictionary(uniqueKeysWithValues: [Screen.graph, .dag, .diff, .store].map { screen in
        (screen, Keymap.bindings.filter { ($0.screen == nil || $0.screen == screen) && $0.command != .quit && $0.command != .quitAll }.flatMap(\.keys))
    })
    static let ownKeys: [Screen: [Key]] = Dictionary(uniqueKeysWithValues: [Screen.graph, .dag, .diff, .store].map { screen in
        (screen, Keymap.bindings.filter { $0.screen == screen }.flatMap(\.keys) + [.tab, .enter, .escape])
    })
    static let special: [Key] = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab, .backTab,
                                 .backspace, .delete, .resize] + (1...12).map(Key.function) + "abcdefghijklmnopqrstuvwxyz".map(Key.ctrl)
    static let noise = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -=[]/:<>?!@#.,'\"\\é漢🙂")

    mutating func commandLine() -> [Key] {
        let junk = String((0..<int(12)).map { _ in Self.noise[int(Self.noise.count)] })
        let graphFile = dir.appendingPathComponent("graph.json").path
        let choices = [
            "goto \(junk)", "goto example", "goto example/crop", "goto ", "open /nonexistent/\(junk)", "open \(graphFile)",
            "open \(store ?? graphFile)@latest", "diff a b", "diff \(store ?? "x")@latest \(graphFile)", "diff \(graphFile) \(graphFile)",
            "theme nope", "theme light", "theme", "export json \(dir.path)/out.json", "export dot /nonexistent/\(junk)",
            "export mermaid", "reload", "tree", "flat", "help", "sample \(int(12))", "sample \(junk)", "sample", "s 1 2",
            junk, "\(junk) \(junk)", "",
        ]
        return [.char(":")] + choices[int(choices.count)].map(Key.char) + [int(8) == 0 ? .escape : .enter]
    }

    mutating func nextKeys() -> [Key] {
        switch int(100) {
        case 0..<25: return [Self.bound[int(Self.bound.count)]]
        case 25..<45:
            // The open screen's own keys (and the global ones), so its deep states are reached.
            let keys = (int(2) == 0 ? Self.ownKeys[state.screen] : Self.byScreen[state.screen]) ?? Self.bound
            return [keys[int(keys.count)]]
        case 45..<60: return [Self.special[int(Self.special.count)]]
        case 60..<72: return [.char(Self.noise[int(Self.noise.count)])]
        case 72..<76: return [.escape, .char("["), .char(["A", "B", "1", "O", "~"][int(5)])]
        case 76..<80: return commandLine()
        case 80..<84:
            let kinds: [MouseEvent.Kind] = [.press, .wheelUp, .wheelDown]
            return [.mouse(MouseEvent(kinds[int(3)], x: int(state.size.width + 4) - 2, y: int(state.size.height + 4) - 2))]
        case 84..<88: return [.char("/")] + (0..<int(10)).map { _ in .char(Self.noise[int(Self.noise.count)]) } + [int(2) == 0 ? .enter : .escape]
        default:
            // Quit keys are skipped: the session would end; everything else once more, often.
            let key = Self.bound[int(Self.bound.count)]
            return [.char("q"), .char("Q"), .ctrl("c")].contains(key) ? [.char("?")] : [key]
        }
    }

    mutating func randomSize() -> Size {
        switch int(5) {
        case 0: Size(width: 1 + int(45), height: 1 + int(12))
        case 1, 2: Size(width: 40 + int(12), height: 10 + int(6))  // just above the minimum, where panes are thinnest
        default: Size(width: 1 + int(250), height: 1 + int(80))
        }
    }

    /// Applies one action the way the scenario runs: through the session, or purely.
    mutating func apply(_ action: Action) {
        if !pure {
            session.dispatch(action)
            state = session.state
            return
        }
        for effect in Update.apply(action, to: &state) { pending(effect) }
    }

    /// In the pure scenarios slow work stays pending, except small layouts; sometimes a result
    /// or a failure arrives later (see `inject`).
    mutating func pending(_ effect: Effect) {
        if case .layoutDag(let key) = effect, key.features.count <= 150 {
            let graph = state.graph
            let layout = DagLayout(graph: graph, features: key.features) { f in
                DagState.label(graph: graph, feature: f, zoom: key.zoom, mark: key.marks[graph.key(f).string])
            }
            apply(.dagLaidOut(key, layout))
        }
    }

    /// Results of slow work, good and bad, at any moment.
    mutating func inject() {
        let count = state.graph.count
        switch int(11) {
        case 0: apply(.diffFailed("the store is locked (injected)"))
        case 1: apply(.samplesFailed("could not read rows (injected)"))
        case 2: apply(.storeSummaryFailed("disk I/O error (injected)"))
        case 3 where count > 0: apply(.staleFailed(feature: int(count), "injected", done: 1, total: count))
        case 4: apply(.staleFinished(cancelled: int(2) == 0))
        case 5: apply(.notice(String(repeating: "a long message ", count: 1 + int(20)), isError: int(2) == 0))
        case 6 where count > 0:
            let rows = (0..<count).map { StoreFeatureRow(feature: $0, root: state.graph.isRoot($0), stored: int(1000), current: int(1000)) }
            apply(.storeSummary(rows))
        case 7:
            // Mostly for the selected feature; sometimes one read late for a feature left behind.
            let feature = state.store?.selectedKey(state.graph).flatMap { int(4) == 0 ? nil : $0 } ?? FeatureKey(string: "late/page")
            apply(.samplesLoaded(feature: feature, SamplePage(rows: (0..<int(300)).map {
            SamplePage.Row(rowid: Int64($0 + 1), uid: .int(Int64($0)), dataVersion: [("audio", "123")], featureVersion: "v", extra: ["x"])
        }, columns: ["width"]), atEnd: int(2) == 0))
        case 8 where state.sampleScreen != nil:
            // The Sample screen's lookup: random rows in each feature, at its version or another.
            let graph = state.graph, uid = state.sampleScreen!.uid
            var histories: [FeatureKey: [SampleRow]] = [:]
            for f in 0..<min(graph.count, 2_000) where int(3) > 0 {
                histories[graph.key(f)] = (0..<int(3)).map { _ in
                    SampleRow(featureVersion: int(2) == 0 ? graph.featureVersion(f) : "old",
                              dataVersion: Dictionary(uniqueKeysWithValues: graph.specs[f].fields.map { ($0.key.string, String(int(3))) }))
                }
            }
            // Sometimes the answer to an earlier lookup, which is dropped.
            let request = state.sampleScreen!.request - int(2)
            apply(.sampleLookedUp(SampleLookup(graph: graph, uid: uid, algorithm: .xxhash64, rows: histories), request: request))
        case 9 where state.sampleScreen != nil:
            apply(.sampleLookupFailed("database is locked (injected)", request: state.sampleScreen!.request))
        default:
            // A reload to a smaller or an empty graph: every index kept must still be valid.
            if let smaller = try? Fixtures.graph(int(2) == 0 ? "features: []\n" : "features:\n  - key: a/b\n    fields: [x]\n") {
                apply(.graphLoaded(smaller))
            }
        }
    }

    mutating func run(keys total: Int) -> [String] {
        var failures: [String] = []
        while pressed < total, failures.count < 3 {
            if int(15) == 0 {
                let size = randomSize()
                recent.append("resize \(size.width)x\(size.height)")
                apply(.resize(size))
                resizes += 1
            } else if pure, int(25) == 0 {
                recent.append("inject")
                inject()
            } else {
                for key in nextKeys() {
                    recent.append(KeyNotation.display(key))
                    apply(.key(key))
                    pressed += 1
                }
            }
            if recent.count > 40 { recent.removeFirst(recent.count - 40) }
            // A crash ends the process before any message: with METAXY_FUZZ_TRACE=FILE the last
            // keys are in that file.
            if let trace = ProcessInfo.processInfo.environment["METAXY_FUZZ_TRACE"] {
                try? recent.joined(separator: " ").write(toFile: trace + "-" + scenario, atomically: false, encoding: .utf8)
            }
            if let problem = check() { failures.append("after key \(pressed): \(problem); last keys: \(recent.joined(separator: " "))") }
        }
        return failures
    }

    /// Nil when the frame and the state are sound.
    func check() -> String? {
        let buffer = View.render(state)
        let size = state.size
        guard buffer.size == size, buffer.cells.count == size.width * size.height else { return "frame \(buffer.size) for terminal \(size)" }
        guard buffer.overflows == 0 else { return "\(buffer.overflows) cells written outside their pane on the \(state.screen) screen" }
        let g = state.graphScreen
        if g.rows.isEmpty ? g.cursor != 0 : !g.rows.indices.contains(g.cursor) { return "graph cursor \(g.cursor) of \(g.rows.count) rows" }
        if g.listTop < 0 || g.detailTop < 0 { return "graph scroll \(g.listTop) \(g.detailTop)" }
        if let f = g.selectedField, let feature = g.selectedFeature, !state.graph.specs[feature].fields.indices.contains(f) {
            return "selected field \(f) of \(state.graph.key(feature).string)"
        }
        let selectable = GraphScreen.selectable(g.detailLines).count
        if selectable > 0, !(0..<selectable).contains(g.detailCursor) { return "detail cursor \(g.detailCursor) of \(selectable)" }
        if let d = state.diffScreen.diff, !d.rows.isEmpty, !d.rows.indices.contains(d.cursor) { return "diff cursor \(d.cursor) of \(d.rows.count)" }
        if let d = state.dag {
            if state.graph.count > 0, !(0..<state.graph.count).contains(d.selected) { return "dag selection \(d.selected) of \(state.graph.count)" }
            if d.scrollX < 0 || d.scrollY < 0 { return "dag scroll \(d.scrollX),\(d.scrollY)" }
        }
        if let s = state.store {
            if !s.rows.isEmpty, !s.rows.indices.contains(s.cursor) { return "store cursor \(s.cursor) of \(s.rows.count)" }
            if let page = s.page, !page.rows.isEmpty, !page.rows.indices.contains(s.pageCursor) { return "page cursor \(s.pageCursor) of \(page.rows.count)" }
        }
        if let s = state.sampleScreen, let lookup = s.lookup, !lookup.features.isEmpty, !lookup.features.indices.contains(s.cursor) {
            return "sample cursor \(s.cursor) of \(lookup.features.count)"
        }
        if let p = state.picker, !p.choices.isEmpty, !p.choices.indices.contains(p.cursor) { return "picker cursor \(p.cursor) of \(p.choices.count)" }
        if let h = state.help, h.top < 0 { return "help scrolled to \(h.top)" }
        return nil
    }
}
