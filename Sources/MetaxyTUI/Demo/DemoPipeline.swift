/// The demo workspace's pipeline: 25 features of a multimodal video dataset, as three snapshots
/// that tell a story. 1 is the first pipeline; 2 upgrades the speech-to-text model, a change that
/// flows down to captions, embeddings, the index and the training set; 3 fixes how frame
/// timestamps are computed, a change that stops at `media/frames` because no field downstream
/// reads the timestamps, and adds an NSFW filter.
public enum DemoPipeline {
    public static let snapshots = [
        (file: "1-initial.yaml", title: "the first pipeline"),
        (file: "2-transcript-v2.yaml", title: "speech-to-text model v2: flows down to captions, embeddings, index, dataset"),
        (file: "3-timestamps-nsfw.yaml", title: "frame timestamps fix (stops at media/frames) and a new NSFW filter"),
    ]

    /// Snapshot `n` (1, 2 or 3) as a graph file.
    public static func yaml(snapshot n: Int) -> String {
        var text = """
            # metaxy-tui demo pipeline, snapshot \(n): \(snapshots[n - 1].title).
            # Written by `metaxy-tui demo`; edit it and the browser reloads it.
            features:
              - key: media/video
                fields: [frames, audio, metadata]
              - key: media/audio_track
                deps: [media/video]
                fields:
                  - {key: waveform, deps: {media/video: [audio]}}
                  - {key: sample_rate, deps: {media/video: [metadata]}}
              - key: media/frames
                deps: [media/video]
                fields:
                  - {key: frames, deps: {media/video: [frames]}}
                  - {key: timestamps, code_version: \(n >= 3 ? 2 : 1), deps: {media/video: [frames, metadata]}}
              - key: media/keyframes
                deps: [media/frames]
                fields:
                  - {key: frames, deps: {media/frames: [frames]}}
              - key: vision/scenes
                deps: [media/keyframes]
                fields: [boundaries]
              - key: vision/detections
                deps: [media/keyframes]
                fields:
                  - {key: boxes, code_version: 3, deps: {media/keyframes: [frames]}}
                  - {key: labels, code_version: 2, deps: {media/keyframes: [frames]}}
              - key: vision/faces
                deps: [vision/detections, media/keyframes]
                fields:
                  - {key: boxes, deps: {vision/detections: [boxes], media/keyframes: [frames]}}
                  - {key: landmarks, deps: {media/keyframes: [frames]}}
              - key: vision/crops
                deps: [media/keyframes, vision/detections]
                fields:
                  - {key: images, deps: {media/keyframes: [frames], vision/detections: [boxes]}}
              - key: vision/face_crops
                deps: [vision/faces, media/keyframes]
                fields:
                  - {key: images, deps: {vision/faces: [boxes], media/keyframes: [frames]}}
              - key: vision/ocr
                deps: [media/keyframes]
                fields: [text]
              - key: audio/vad
                deps: [media/audio_track]
                fields:
                  - {key: segments, code_version: 2, deps: {media/audio_track: [waveform]}}
              - key: audio/diarization
                deps: [media/audio_track, audio/vad]
                fields: [speakers]
              - key: audio/transcript
                deps: [media/audio_track, audio/vad]
                fields:
                  - {key: text, code_version: \(n >= 2 ? 2 : 1), deps: {media/audio_track: [waveform], audio/vad: [segments]}}
                  - {key: words, code_version: \(n >= 2 ? 2 : 1), deps: {media/audio_track: [waveform], audio/vad: [segments]}}
              - key: audio/language
                deps: [audio/transcript]
                fields:
                  - {key: code, deps: {audio/transcript: [text]}}
              - key: text/captions
                deps: [media/keyframes, vision/detections, audio/transcript]
                fields:
                  - {key: caption, deps: {media/keyframes: [frames], vision/detections: [labels], audio/transcript: [text]}}
                  - {key: tags, deps: {vision/detections: [labels]}}
              - key: text/summary
                deps: [text/captions, audio/transcript]
                fields: [summary]
              - key: embeddings/clip_image
                deps: [vision/crops]
                fields: [vector]
              - key: embeddings/face
                deps: [vision/face_crops]
                fields: [vector]
              - key: embeddings/text
                deps: [text/captions, text/summary]
                fields:
                  - {key: vector, deps: {text/captions: [caption], text/summary: [summary]}}
              - key: embeddings/audio
                deps: [media/audio_track]
                fields:
                  - {key: vector, deps: {media/audio_track: [waveform]}}
              - key: quality/blur
                deps: [media/keyframes]
                fields: [score]
              - key: quality/audio_snr
                deps: [media/audio_track, audio/vad]
                fields: [snr]
              - key: index/multimodal
                deps: [embeddings/clip_image, embeddings/face, embeddings/text, embeddings/audio]
                fields: [vector]
              - key: training/dataset
                deps: [index/multimodal, quality/blur, quality/audio_snr, audio/language]
                fields:
                  - {key: shard, deps: {index/multimodal: [vector]}}
                  - {key: filters, deps: {quality/blur: [score], quality/audio_snr: [snr], audio/language: [code]}}

            """
        if n >= 3 {
            text += """
                  - key: quality/nsfw
                    deps: [media/keyframes, text/captions]
                    fields:
                      - {key: score, deps: {media/keyframes: [frames], text/captions: [caption]}}

                """
        }
        return text
    }
}
