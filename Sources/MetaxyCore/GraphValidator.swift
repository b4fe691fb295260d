/// Checks a list of specs for everything metaxy would only trip over later (DESIGN §2):
/// duplicate keys, unknown dependencies and fields, field deps outside the feature deps, cycles.
enum GraphValidator {
    /// At most this many cycles are listed; one is enough to act on, a few show the pattern.
    static let maxCyclesReported = 10

    static func problems(in specs: [FeatureSpec], file: String) -> [GraphProblem] {
        var problems: [GraphProblem] = []
        func report(_ location: SourceLocation, _ message: String) {
            problems.append(GraphProblem(file: file, location: location, message: message))
        }

        var byKey: [FeatureKey: FeatureSpec] = [:]
        for spec in specs {
            if let first = byKey[spec.key] {
                report(spec.location, "duplicate feature key '\(spec.key)' (first defined at line \(first.location.line)); "
                    + "each feature key must be unique")
            } else {
                byKey[spec.key] = spec
            }
        }

        for spec in specs {
            var seenFields: [FieldKey: FieldSpec] = [:]
            for field in spec.fields {
                if let first = seenFields[field.key] {
                    report(field.location, "duplicate field key '\(field.key)' in \(spec.key) "
                        + "(first defined at line \(first.location.line)); field keys must be unique")
                }
                seenFields[field.key] = seenFields[field.key] ?? field
            }
            let depKeys = spec.deps?.map(\.key) ?? []
            for dep in spec.deps ?? [] where byKey[dep.key] == nil {
                report(dep.location, "\(spec.key) depends on '\(dep.key)', which is not in the graph"
                    + suggestion(for: dep.key.string, among: byKey.keys.map(\.string)))
            }
            for field in spec.fields {
                guard case let .only(fieldDeps) = field.deps else { continue }
                for dep in fieldDeps {
                    guard depKeys.contains(dep.featureKey) else {
                        let known = depKeys.isEmpty ? "it has none" : "they are " + depKeys.map(\.string).joined(separator: ", ")
                        report(dep.location, "field '\(field.key)' of \(spec.key) depends on '\(dep.featureKey)', "
                            + "which is not among the feature's deps (\(known)); add it to `deps`")
                        continue
                    }
                    guard let upstream = byKey[dep.featureKey], case let .only(wanted) = dep.fields else { continue }
                    let available = Set(upstream.fields.map(\.key))
                    for name in wanted where !available.contains(name) {
                        report(dep.location, "field '\(field.key)' of \(spec.key) depends on '\(dep.featureKey).\(name)', "
                            + "but \(dep.featureKey) has the fields "
                            + upstream.fields.map(\.key.string).joined(separator: ", ")
                            + suggestion(for: name.string, among: upstream.fields.map(\.key.string)))
                    }
                }
            }
        }
        if problems.isEmpty { problems += cycles(in: specs, file: file) }
        return problems
    }

    /// Depth-first search with an explicit stack (graphs can be thousands deep); each back edge is a cycle.
    static func cycles(in specs: [FeatureSpec], file: String) -> [GraphProblem] {
        var index: [FeatureKey: Int] = [:]
        for (i, spec) in specs.enumerated() { index[spec.key] = i }
        let edges = specs.map { ($0.deps ?? []).compactMap { dep in index[dep.key].map { (dep, $0) } } }
        enum Color { case white, gray, black }
        var color = [Color](repeating: .white, count: specs.count)
        var problems: [GraphProblem] = []
        for start in specs.indices where color[start] == .white {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            color[start] = .gray
            while let (node, next) = stack.last {
                guard next < edges[node].count else {
                    color[node] = .black
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let (dep, target) = edges[node][next]
                switch color[target] {
                case .white:
                    color[target] = .gray
                    stack.append((target, 0))
                case .gray:
                    let from = stack.lastIndex { $0.node == target }!
                    let path = stack[from...].map { specs[$0.node].key.string } + [specs[target].key.string]
                    problems.append(GraphProblem(
                        file: file, location: dep.location,
                        message: "dependency cycle: \(path.joined(separator: " → ")); remove one of these deps"))
                    if problems.count >= maxCyclesReported { return problems }
                case .black:
                    break
                }
            }
        }
        return problems
    }

    static func suggestion(for name: String, among candidates: some Sequence<String>) -> String {
        guard let best = candidates.min(by: { editDistance($0, name) < editDistance($1, name) }),
              editDistance(best, name) <= max(2, name.count / 4) else { return "" }
        return " (did you mean '\(best)'?)"
    }
}
