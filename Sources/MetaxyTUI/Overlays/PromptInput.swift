import MetaxyCore
import TerminalKit

/// Keys while a line is being typed (`/` filter, `:` command, a sample_uid) or the help overlay
/// is open: overlays take every key.
extension AppState {
    mutating func promptKey(_ key: Key) -> [Effect] {
        guard var prompt else { return [] }
        switch key {
        case .escape:
            self.prompt = nil
            if prompt.kind == .filter { graphScreen.setFilter(prompt.previousFilter) }
            return []
        case .enter:
            self.prompt = nil
            switch prompt.kind {
            case .command: return execute(prompt.text)
            case .sample:
                guard var s = store else { return [] }
                let effects = s.findSample(prompt.text, graph)
                store = s
                return effects
            case .filter:
                let filter = graphScreen.filter
                let matches = graphScreen.rows.filter { $0.feature != nil }.count
                if !filter.isEmpty { say("\(matches) feature\(matches == 1 ? " matches" : "s match") “\(filter)”; n/N move, Esc clears") }
                return []
            }
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
        if prompt.kind == .filter {
            graphScreen.setFilter(prompt.text)
            _ = graphScreen.detail()
        }
        return []
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
                screen = .graph
                graphScreen.goto(text)
                _ = graphScreen.detail()
                if let notice = graphScreen.takeNotice() { message = notice }
            case .export(let format, let path):
                // On the Diff screen, what the screen shows; elsewhere the whole graph.
                if screen == .diff, let d = diffScreen.diff { return [.exportDiff(format: format, path: path, keys: d.visibleKeys)] }
                return [.export(format: format, path: path)]
            case .diff(let old, let new):
                return requestDiff(old: old, new: new)
            case .open(let reference):
                say("opening \(reference)…")
                return [.openGraph(reference)]
            case .sample(let uid):
                return openSample(uid)
            case .reload:
                return reload()
            case .help:
                help = HelpOverlay()
            case .mode(let mode):
                graphScreen.setMode(mode)
                _ = graphScreen.detail()
            }
            return []
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
        case .end: help.top = Int(Int32.max)
        case .backspace: help.filter = String(help.filter.dropLast())
        case .char(let c): help.filter.append(c); help.top = 0
        default: return []
        }
        let lines = HelpView.lines(filter: help.filter, screen: screen, width: HelpView.textWidth(size)).count
        help.top = max(0, min(help.top, lines - HelpView.bodyHeight(size)))
        self.help = help
        return []
    }
}
