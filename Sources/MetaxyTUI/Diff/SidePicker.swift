import TerminalKit

/// `p` on the Diff screen: choose the old side, then the new one, from the graph file and the
/// store's snapshots (newest first: position, version, when recorded, how many features).
public struct SidePicker: Equatable, Sendable {
    public struct Choice: Equatable, Sendable {
        let label: String
        let detail: String
        let reference: String
        /// The snapshot version this side amounts to, when known: sides equal to NEW are skipped
        /// when OLD is first offered.
        let version: String?
    }

    let choices: [Choice]
    var cursor = 0
    /// The old side once chosen; then the new side is being picked.
    var old: Choice?

    /// OLD starts on the first side older than NEW (the diff's new side, else the newest) that
    /// differs from it: what a user compares against.
    init(choices: [Choice], old: String? = nil, new: String? = nil) {
        self.choices = choices
        let newIndex = new.flatMap { n in choices.firstIndex { $0.reference == n } } ?? 0
        let newVersion = choices.indices.contains(newIndex) ? choices[newIndex].version : nil
        let older = choices.indices.dropFirst(newIndex + 1)
        cursor = older.first { newVersion == nil || choices[$0].version != newVersion } ?? older.first ?? 0
        if let old, let i = choices.firstIndex(where: { $0.reference == old }), i > newIndex { cursor = i }
    }

    var title: String { old.map { "Pick the NEW side; old: \($0.label)" } ?? "Pick the OLD side (Enter), Esc cancels" }

    /// After OLD: NEW starts on the side just newer than it.
    mutating func choose() -> (old: Choice, new: Choice)? {
        guard choices.indices.contains(cursor) else { return nil }
        guard let old else {
            old = choices[cursor]
            cursor = max(0, cursor - 1)
            return nil
        }
        return (old, choices[cursor])
    }

    static func draw(_ picker: SidePicker, size: Size, into buffer: inout ScreenBuffer) {
        let width = min(size.width - 4, 100), height = min(size.height - 4, picker.choices.count + 4)
        let rect = Rect(x: (size.width - width) / 2, y: 2, width: width, height: max(5, height))
        buffer.fill(rect, role: .text)
        buffer.box(rect, title: picker.title, role: .focusBorder)
        let inner = Rect(x: rect.x + 2, y: rect.y + 2, width: rect.width - 4, height: rect.height - 3)
        guard inner.height > 0 else { return }
        if picker.choices.isEmpty {
            buffer.put("nothing to pick: the store has no snapshots and no graph file is open", x: inner.x, y: inner.y, role: .muted,
                       limit: inner.width, ellipsis: true)
            return
        }
        let top = max(0, picker.cursor - inner.height + 1)
        for (i, choice) in picker.choices.enumerated().dropFirst(top).prefix(inner.height) {
            let y = inner.y + i - top
            let used = buffer.put(choice.label, x: inner.x, y: y, role: .version, limit: inner.width, ellipsis: true)
            buffer.put("  " + choice.detail, x: inner.x + used, y: y, role: .muted, limit: inner.width - used, ellipsis: true)
            if choice == picker.old { buffer.put("old", x: inner.maxX - 3, y: y, role: .warning) }
            if i == picker.cursor { buffer.restyle(Rect(x: inner.x - 1, y: y, width: inner.width + 1, height: 1), role: .selection) }
        }
    }
}

extension AppState {
    mutating func pickerKey(_ key: Key) -> [Effect] {
        guard var picker else { return [] }
        switch key {
        case .escape, .char("q"): self.picker = nil; return []
        case .up, .char("k"): picker.cursor = max(0, picker.cursor - 1)
        case .down, .char("j"): picker.cursor = max(0, min(picker.choices.count - 1, picker.cursor + 1))
        case .home, .char("g"): picker.cursor = 0
        case .end, .char("G"): picker.cursor = max(0, picker.choices.count - 1)
        case .ctrl("c"):
            running = false
            return [.quit]
        case .enter:
            guard let sides = picker.choose() else {
                self.picker = picker.choices.isEmpty ? nil : picker
                return []
            }
            self.picker = nil
            return requestDiff(old: sides.old.reference, new: sides.new.reference)
        default: return []
        }
        self.picker = picker
        return []
    }
}
