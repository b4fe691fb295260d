import Foundation
import MetaxyCore
import MetaxyStore

/// Two weeks of a team's work on the demo pipeline, replayed into a store: what was written at
/// each snapshot, so that the current snapshot finds samples stale for every reason.
struct DemoHistory {
    let store: MetaxyStore
    /// Snapshots 1, 2 and 3 of `DemoPipeline`.
    let graphs: [FeatureGraph]
    let samples: Int
    /// Where each write tells how far it is.
    let work: WorkProgress

    func replay(progress: (String) -> Void) throws {
        // Fixed dates, so every copy of the demo (and every screenshot of it) is the same.
        let start = Date(timeIntervalSince1970: 1_793_520_000), day = 86_400.0  // 2026-11-01 08:00 UTC
        let all = 1...samples, partly = 1...share(2, of: 5)

        progress("snapshot 1: ingesting \(samples.grouped) videos and the first processing runs")
        try store.push(graphs[0], recordedAt: start)
        try ingest(graphs[0], videos(all))
        for feature in ["media/audio_track", "media/frames", "media/keyframes", "audio/vad", "audio/transcript", "vision/detections"] {
            try process(feature, all, graphs[0])
        }
        for feature in ["audio/language", "vision/crops", "text/captions"] { try process(feature, partly, graphs[0]) }

        progress("snapshot 2: the new speech-to-text model, re-run on 70 % of the videos so far")
        try store.push(graphs[1], recordedAt: start + 8 * day)
        try process("audio/transcript", 1...share(7, of: 10), graphs[1])
        try process("audio/language", partly, graphs[1])

        progress("snapshot 3: the timestamps fix and the NSFW filter; videos re-ingested, added and taken down")
        try store.push(graphs[2], recordedAt: start + 13 * day + 7 * 3600)
        // 1 % re-ingested with new content, 2 % new, 0.5 % taken down: one rewrite of the videos.
        let takenDown = (samples / 2 + 1)...(samples / 2 + share(1, of: 200))
        let reingested = 1...share(1, of: 100)
        let kept = videos(all.filter { !takenDown.contains($0) }, revised: reingested)
        try ingest(graphs[2], kept + videos((samples + 1)...(samples + share(1, of: 50))), replace: true)
        try process("media/frames", 1...share(3, of: 10), graphs[2])
        try process("quality/nsfw", 1...share(1, of: 5), graphs[2])
    }

    /// `part / whole` of the samples, at least one.
    private func share(_ part: Int, of whole: Int) -> Int { max(1, samples * part / whole) }

    /// Root rows: content hashes of each video's frames, audio and metadata, and where it lives.
    private func videos(_ uids: some Sequence<Int>, revised: ClosedRange<Int> = 0...0) -> [UInt8] {
        var out: [UInt8] = []
        for uid in uids {
            let edit = revised.contains(uid) ? 1 : 0
            let id = String(uid), pad = String(repeating: "0", count: max(0, 6 - id.count)) + id
            let line = "{\"sample_uid\": \(uid), \"data_version\": {\"frames\": \"\(hash(uid, 1, edit))\", "
                + "\"audio\": \"\(hash(uid, 2, edit))\", \"metadata\": \"\(hash(uid, 3, 0))\"}, "
                + "\"path\": \"s3://demo-videos/raw/\(pad).mp4\", \"duration_s\": \(30 + uid * 37 % 570)}\n"
            out.append(contentsOf: line.utf8)
        }
        return out
    }

    private func ingest(_ graph: FeatureGraph, _ rows: [UInt8], replace: Bool = false) throws {
        try store.write(feature: FeatureKey(string: "media/video"), graph: graph, jsonl: rows, source: "demo videos", replace: replace,
                        progress: work)
    }

    /// A processing run: rows for `uids`, their data versions computed from the upstream rows.
    private func process(_ feature: String, _ uids: ClosedRange<Int>, _ graph: FeatureGraph) throws {
        var rows: [UInt8] = []
        for uid in uids { rows.append(contentsOf: "{\"sample_uid\": \(uid)}\n".utf8) }
        try store.write(feature: FeatureKey(string: feature), graph: graph, jsonl: rows, source: "demo \(feature)",
                        algorithm: .xxhash64, progress: work)
    }

    /// A stable stand-in for a content hash (splitmix64), 16 hex digits.
    private func hash(_ uid: Int, _ part: UInt64, _ edit: Int) -> String {
        var z = UInt64(uid) &* 0x9E37_79B9_7F4A_7C15 &+ part &* 0xBF58_476D_1CE4_E5B9 &+ UInt64(edit) &* 0x94D0_49BB_1331_11EB
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        let hex = String(z ^ (z >> 31), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
