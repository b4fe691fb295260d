import Yams

extension JSONValue {
    /// The same data as YAML, keys in order, through Yams so quoting is always right (a version
    /// made only of digits stays a string).
    public func yaml() -> String {
        (try? Yams.serialize(node: node, width: -1, allowUnicode: true)) ?? compact()
    }

    private var node: Node {
        switch self {
        case .null: return Node("null", Tag(.null))
        case .bool(let b): return Node(b ? "true" : "false", Tag(.bool))
        case .int(let i): return Node(String(i), Tag(.int))
        case .double(let d): return Node(String(d), Tag(.float))
        case .string(let s): return Node(s, Tag(.str))
        case .array(let items): return Node(items.map(\.node), Tag(.seq))
        case .object(let members): return Node(members.map { (Node($0.0, Tag(.str)), $0.1.node) }, Tag(.map))
        }
    }
}
