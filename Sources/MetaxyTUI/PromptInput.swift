import MetaxyCore
import TerminalKit

/// Keys while a line is being typed (`/` filter, `:` command) or the help overlay is open.
extension AppState {
    mutating func promptKey(_ key: Key) -> [Effect] {
        guard var prompt else { return [] }
        switch key {
        case .escape:
            self.prompt = nil
            if prompt.kind == .filter { setFilter(prompt.previousFilter) }
            return []
        case .enter:
            self.prompt = nil
            if prompt.kind == .command { return execute(prompt.text) }
            if prompt.kind == .sample { return findSample(prompt.text) }
            let matches = rows.filter { $0.feature != nil }.count
            if !filter.isEmpty { say("\(matches) feature\(matches == 1 ? " matches" : "s match") “\(filter)”; n/N move, Esc clears") }
            return []
        case .backspace:
            if prompt.text.isEmpty, prompt.kind == .command { self.prompt = nil; return [] }
            prompt.text = String(prompt.text.dropLast())
        case .ctrl("u"):
            prompt.text = ""
        case .ctrl("c"):
            running = false
            return [.quit]
        case .char(let c):
            prompt.text.append(c)
        default:
            return []
        }
        self.prompt = prompt
        if prompt.kind == .filter { setFilter(prompt.text) }
        return []
    }

    /// Filters as the user types, keeping the selection when it still matches, else the first match.
    mutating func setFilter(_ text: String) {
        filter = text
        let identity = selectedRow?.identity
        rebuildRows(keeping: identity)
        if selectedRow?.identity != identity, let first = rows.firstIndex(where: { $0.feature != nil }) { selectRow(first) }
        if selectedRow?.identity != identity { selectedField = nil; detailCursor = 0; detailTop = 0 }
    }

    mutating func execute(_ line: String) -> [Effect] {
        switch PromptCommand.parse(line) {
        case .failure(let problem):
            say(problem.message, error: true)
            return []
        case .success(let command):
            switch command {
            case .quit:
                running = false
                return [.quit]
            case .theme(nil):
                say("themes: \(themeNames.joined(separator: ", ")) (now \(theme.name)); :theme NAME picks one")
            case .theme(let name?):
                return [.loadTheme(name)]
            case .goto(let text):
                goto(text)
            case .export(let format, let path):
                // On the Diff screen, what the screen shows; elsewhere the whole graph.
                if screen == .diff, let d = diff { return [.exportDiff(format: format, path: path, keys: d.visibleKeys)] }
                return [.export(format: format, path: path)]
            case .diff(let old, let new):
                return requestDiff(old: old, new: new)
            case .open(let reference):
                say("opening \(reference)…")
                return [.openGraph(reference)]
            case .reload:
                return reload()
            case .help:
                help = HelpOverlay()
            case .mode(let mode):
                self.mode = mode
                rebuildRows(keeping: selectedFeature.map { graph.key($0).string })
            }
            return []
        }
    }

    /// The feature with that key, else the only one whose key contains the text.
    private mutating func goto(_ text: String) {
        if let f = graph.index(of: FeatureKey(string: text)) { return jump(to: f, field: nil) }
        let needle = text.lowercased()
        let found = (0..<graph.count).filter { graph.key($0).string.lowercased().contains(needle) }
        switch found.count {
        case 1: jump(to: found[0], field: nil)
        case 0: say("no feature key contains “\(text)”", error: true)
        default:
            let names = found.prefix(4).map { graph.key($0).string }.joined(separator: ", ")
            say("\(found.count) features match “\(text)”: \(names)\(found.count > 4 ? ", …" : ""); type more of the key", error: true)
        }
    }

    mutating func helpKey(_ key: Key) -> [Effect] {
        guard var help else { return [] }
        switch key {
        case .escape:
            if help.filter.isEmpty { self.help = nil; return [] }
            help.filter = ""
        case .function(1), .char("?"): self.help = nil; return []
        case .char("q") where help.filter.isEmpty: self.help = nil; return []
        case .ctrl("c"):
            running = false
            return [.quit]
        case .up: help.top -= 1
        case .down: help.top += 1
        case .pageUp: help.top -= max(1, size.height - 8)
        case .pageDown: help.top += max(1, size.height - 8)
        case .home: help.top = 0
        case .backspace: help.filter = String(help.filter.dropLast())
        case .char(let c): help.filter.append(c); help.top = 0
        default: return []
        }
        let lines = HelpView.lines(filter: help.filter).count
        help.top = max(0, min(help.top, lines - HelpView.bodyHeight(size)))
        self.help = help
        return []
    }
}
