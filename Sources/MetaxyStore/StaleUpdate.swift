import MetaxyCore

/// A feature's cached stale set brought up to date with the rows appended to its tables: only
/// the samples those rows name are classified again. Appends never take a sample out of an
/// upstream or out of the stored rows, so every other sample keeps its class.
extension MetaxyStore {
    /// `appended` holds the new rows of the feature's own table, then of each upstream in recipe order.
    func update(_ state: inout FeatureState, _ f: Int, graph: FeatureGraph, algorithm: HashAlgorithm, appended: [[KeptRow]]) throws {
        let version = graph.featureVersion(f), own = graph.key(f).tableName
        let stored = Self.latest(appended[0], featureVersion: version)
        state.storedRows += appended[0].count
        guard !state.root else {
            state.merge(targets: false, Keyed(uids: stored.map(\.0), prints: stored.map { _ in 0 }))
            return
        }
        let recipe = DataVersionRecipe(graph: graph, feature: f)
        let merge = StaleMerge(recipe: recipe, algorithm: algorithm)
        let fresh = appended.dropFirst().map { Self.latest($0, featureVersion: nil) }
        let affected = fresh.count == 1 ? fresh[0].map(\.0) : fresh.flatMap { $0.map(\.0) }.sortedUnique()
        trace("latest rows")
        let targets = try targetTexts(affected, recipe: recipe, merge: merge, algorithm: algorithm, known: fresh)
        state.merge(targets: true, Keyed(uids: targets.map(\.0), prints: targets.map { Self.print($0.1) }))
        state.merge(targets: false, Keyed(uids: stored.map(\.0), prints: stored.map { Self.print($0.1) }))

        trace("merged")
        // Stored rows not written as the recipe writes them: equal structs may differ in bytes.
        var loose = Set(state.prints.loose)
        for (uid, text) in stored {
            var text = text
            if text.withUTF8(merge.isCanonical) { loose.remove(uid) } else { loose.insert(uid) }
        }
        let recheck = loose.isEmpty ? [] : Set(affected + stored.map(\.0)).filter { uid in
            guard loose.contains(uid), let t = state.prints.targets.print(of: uid), let s = state.prints.stored.print(of: uid) else { return false }
            return t != s
        }.sorted()
        guard !recheck.isEmpty else {
            state.prints.loose = loose.sorted()
            return
        }
        let targetText = Dictionary(targets, uniquingKeysWith: { _, b in b }), storedText = Dictionary(stored, uniquingKeysWith: { _, b in b })
        let missingTargets = recheck.filter { targetText[$0] == nil }
        let moreTargets = Dictionary(try targetTexts(missingTargets, recipe: recipe, merge: merge, algorithm: algorithm,
                                                     known: recipe.upstreams.map { _ in [] }), uniquingKeysWith: { _, b in b })
        let moreStored = try latestTexts(own, recheck.filter { storedText[$0] == nil }, featureVersion: version)
        var equal = Keyed()
        for uid in recheck {
            guard let target = targetText[uid] ?? moreTargets[uid], let stored = storedText[uid] ?? moreStored[uid] else { continue }
            var text = stored
            let same = text.withUTF8 { merge.sameFields($0, Array(target.utf8)) }
            if same { equal.append(uid, state.prints.targets.print(of: uid)!) }
        }
        state.merge(targets: false, equal)
        state.prints.loose = loose.sorted()
    }

    /// The data version each of `uids` should have (sorted; those some upstream lacks are left
    /// out), from the upstream rows in `known` (per upstream, sorted by sample) or else the store's.
    private func targetTexts(_ uids: [SampleUID], recipe: DataVersionRecipe, merge: StaleMerge, algorithm: HashAlgorithm,
                             known: [[(SampleUID, String)]]) throws -> [(SampleUID, String)] {
        guard !uids.isEmpty else { return [] }
        var columns: [[String?]] = []
        for (i, upstream) in recipe.upstreams.enumerated() {
            // Both sorted: one walk, no hashing of a hundred thousand samples.
            var column = [String?](repeating: nil, count: uids.count), k = 0
            for (j, uid) in uids.enumerated() {
                while k < known[i].count && known[i][k].0 < uid { k += 1 }
                if k < known[i].count && known[i][k].0 == uid { column[j] = known[i][k].1 }
            }
            let missing = uids.indices.filter { column[$0] == nil }
            let looked = try latestTexts(upstream.tableName, missing.map { uids[$0] }, featureVersion: nil)
            for j in missing { column[j] = looked[uids[j]] }
            columns.append(column)
        }
        let joined = uids.indices.filter { j in columns.allSatisfy { $0[j] != nil } }
        let joinedUIDs = joined.map { uids[$0] }
        let lists = columns.map { column in SortedRows(sorted: joinedUIDs, texts: joined.map { column[$0]! }) }
        let versions = UpstreamVersions(uids: joinedUIDs, recipe: recipe, upstream: lists, algorithm: algorithm, missingValue: "null")
        return joinedUIDs.enumerated().map { i, uid in
            (uid, String(decoding: versions.text[versions.ranges[i]!], as: UTF8.self))
        }
    }

    /// Each sample's latest data version in `table` (at a feature version, or any), for a few
    /// samples: looked up through the sample_uid index where there is one, else in one scan.
    func latestTexts(_ table: String, _ uids: [SampleUID], featureVersion: String?) throws -> [SampleUID: String] {
        guard !uids.isEmpty, try hasTable(table) else { return [:] }
        let quoted = quoteIdentifier(table), wanted = Set(uids)
        let filter = featureVersion == nil ? "" : " AND feature_version = ?"
        var found: [SampleUID: String] = [:]
        if try hasSampleIndex(table) && uids.count < 50_000 {
            for uid in uids {
                if let row = try sqlite.presentHistory(table, uid).last(where: { featureVersion == nil || $0.featureVersion == featureVersion }) {
                    found[uid] = row.dataVersion ?? ""
                }
            }
            return found
        }
        try sqliteDB.forEachRow("SELECT sample_uid, data_version FROM \(quoted) WHERE 1\(filter)", featureVersion.map { [.text($0)] } ?? []) { row in
            if let uid = row.sampleUID(0), wanted.contains(uid) { found[uid] = String(decoding: row.text(1), as: UTF8.self) }
        }
        return found
    }

    private func hasSampleIndex(_ table: String) throws -> Bool {
        try sqliteDB.query("SELECT 1 FROM pragma_index_list(?) AS l JOIN pragma_index_info(l.name) AS i WHERE i.seqno = 0 AND i.name = 'sample_uid'",
                     [.text(table)]).isEmpty == false
    }

    static func print(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { fingerprint(UnsafeRawBufferPointer($0)) }
    }

    /// The last of `rows` for each sample (at `featureVersion` when given), sorted by sample_uid;
    /// a NULL data version reads as empty text, as the stale sets read it.
    static func latest(_ rows: [KeptRow], featureVersion: String?) -> [(SampleUID, String)] {
        let kept = rows.filter { $0.uid != nil && (featureVersion == nil || $0.featureVersion == featureVersion) }
        let uids = kept.map { $0.uid! }
        let allInts = uids.allSatisfy { if case .int = $0 { true } else { false } }
        return SortedRows.latest(uids, allInts: allInts).map { (uids[$0], kept[$0].dataVersion ?? "") }
    }
}
