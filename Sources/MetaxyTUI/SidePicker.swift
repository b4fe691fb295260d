import TerminalKit

/// `p` on the Diff screen: choose the old side, then the new one, from the store's snapshots
/// (newest first, with when they were recorded and how many features) and the graph file.
public struct SidePicker: Equatable, Sendable {
    public struct Choice: Equatable, Sendable {
        let label: String
        let detail: String
        let reference: String
    }

    let choices: [Choice]
    var cursor = 0
    /// The old side once chosen; then the new side is being picked.
    var old: Choice?

    init(choices: [Choice]) {
        self.choices = choices
        // The second newest snapshot is the usual old side.
        cursor = min(1, max(0, choices.count - 1))
    }

    var title: String { old == nil ? "Pick the OLD side (Enter), Esc cancels" : "Pick the NEW side; old: \(old!.label)" }

    static func draw(_ picker: SidePicker, size: Size, into buffer: inout ScreenBuffer) {
        let width = min(size.width - 4, 90), height = min(size.height - 4, picker.choices.count + 4)
        let rect = Rect(x: (size.width - width) / 2, y: 3, width: width, height: max(5, height))
        buffer.fill(rect, role: .text)
        buffer.box(rect, title: picker.title, role: .focusBorder)
        let inner = Rect(x: rect.x + 2, y: rect.y + 2, width: rect.width - 4, height: rect.height - 3)
        if picker.choices.isEmpty {
            buffer.put("nothing to pick: the store has no snapshots and no graph file is open", x: inner.x, y: inner.y, role: .muted)
            return
        }
        let top = max(0, picker.cursor - inner.height + 1)
        for (i, choice) in picker.choices.enumerated().dropFirst(top).prefix(inner.height) {
            let y = inner.y + i - top
            let used = buffer.put(choice.label, x: inner.x, y: y, role: .version, limit: inner.width)
            buffer.put("  " + choice.detail, x: inner.x + used, y: y, role: .muted, limit: inner.width - used)
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
        case .down, .char("j"): picker.cursor = min(picker.choices.count - 1, picker.cursor + 1)
        case .ctrl("c"):
            running = false
            return [.quit]
        case .enter:
            guard picker.choices.indices.contains(picker.cursor) else { self.picker = nil; return [] }
            let choice = picker.choices[picker.cursor]
            guard let old = picker.old else {
                picker.old = choice
                picker.cursor = 0
                self.picker = picker
                return []
            }
            self.picker = nil
            return requestDiff(old: old.reference, new: choice.reference)
        default: return []
        }
        self.picker = picker
        return []
    }
}
