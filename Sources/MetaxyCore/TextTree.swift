/// A labelled tree drawn with box-drawing branches, as Rich's Tree prints it.
public struct TextTree: Sendable {
    public var label: String
    public var children: [TextTree]

    public init(_ label: String, _ children: [TextTree] = []) {
        self.label = label
        self.children = children
    }

    public func lines() -> [String] {
        var out = [label]
        appendChildren(to: &out, prefix: "")
        return out
    }

    private func appendChildren(to out: inout [String], prefix: String) {
        for (i, child) in children.enumerated() {
            let last = i == children.count - 1
            out.append(prefix + (last ? "└── " : "├── ") + child.label)
            child.appendChildren(to: &out, prefix: prefix + (last ? "    " : "│   "))
        }
    }
}
