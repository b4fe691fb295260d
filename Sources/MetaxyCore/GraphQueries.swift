/// Neighbourhood queries every screen and renderer uses; breadth-first, so a feature's
/// distance is the shortest number of dependency hops.
extension FeatureGraph {
    /// Features `feature` depends on, transitively, with their distance; `depth` nil or negative = unlimited.
    public func upstreamDistances(of feature: Int, depth: Int? = nil) -> [Int: Int] {
        breadthFirst(from: feature, depth: depth, next: upstream)
    }

    /// Features that depend on `feature`, transitively, with their distance.
    public func downstreamDistances(of feature: Int, depth: Int? = nil) -> [Int: Int] {
        breadthFirst(from: feature, depth: depth, next: downstream)
    }

    /// The focus feature plus `up` levels of dependencies and `down` levels of dependents
    /// (nil: all levels; 0: none), as metaxy's `--feature/--up/--down`.
    public func neighbourhood(of feature: Int, up: Int?, down: Int?) -> Set<Int> {
        var result: Set<Int> = [feature]
        if up != 0 { result.formUnion(upstreamDistances(of: feature, depth: up).keys) }
        if down != 0 { result.formUnion(downstreamDistances(of: feature, depth: down).keys) }
        return result
    }

    /// Feature indices sorted by key as metaxy sorts key lists: part by part, a prefix first.
    public func featuresInKeyOrder() -> [Int] {
        StringTable(specs.lazy.map(\.key.string)).sortedIndices(by: StringTable.listLess)
    }

    /// Features reachable from `feature` (itself excluded) through its deps (`upstream`) or its
    /// dependents, in topological order; flat arrays, for screens that redraw on every key.
    public func reachable(from feature: Int, upstream: Bool) -> [Int] {
        let next = upstream ? self.upstream : downstream
        var seen = [Bool](repeating: false, count: count)
        seen[feature] = true
        var stack = [feature], found: [Int] = []
        while let f = stack.popLast() {
            for n in next[f] where !seen[n] {
                seen[n] = true
                stack.append(n)
                found.append(n)
            }
        }
        return found.sorted { topologicalPosition[$0] < topologicalPosition[$1] }
    }

    private func breadthFirst(from start: Int, depth: Int?, next: [[Int]]) -> [Int: Int] {
        let limit = depth.flatMap { $0 < 0 ? nil : $0 } ?? Int.max
        var distance: [Int: Int] = [:]
        var frontier = [start]
        var level = 0
        while !frontier.isEmpty && level < limit {
            level += 1
            var following: [Int] = []
            for node in frontier {
                for n in next[node] where n != start && distance[n] == nil {
                    distance[n] = level
                    following.append(n)
                }
            }
            frontier = following
        }
        return distance
    }
}

extension FeatureGraph {
    /// Features on the longest chain of dependencies (metaxy's `graph describe` depth; 0 when empty).
    public var depth: Int { count == 0 ? 0 : Self.longestChain(upstream: upstream, order: topologicalOrder) + 1 }

    /// The longest chain of dependencies in edges, given `order` with dependencies first.
    static func longestChain(upstream: [[Int]], order: [Int]) -> Int {
        var depth = [Int](repeating: 0, count: upstream.count)
        var deepest = 0
        for f in order {
            depth[f] = upstream[f].reduce(0) { max($0, depth[$1] + 1) }
            deepest = max(deepest, depth[f])
        }
        return deepest
    }
}
