/// The example graph shipped inside the binary: metaxy's README pipeline in the short form.
public enum DemoGraph {
    public static let name = "video.yaml (bundled example)"

    public static let yaml = """
        # metaxy's README example: a video's audio and frames flow into crops,
        # face detection reads the crops, speech-to-text reads the audio.
        features:
          - key: example/video
            fields: [audio, frames]
          - key: example/crop
            deps: [example/video]
            fields:
              - key: audio
                deps: {example/video: [audio]}
              - key: frames
                deps: {example/video: [frames]}
          - key: example/face_detection
            deps: [example/crop]
            fields:
              - key: faces
                deps: {example/crop: [frames]}
          - key: example/stt
            deps: [example/video]
            fields:
              - key: transcription
                deps: {example/video: [audio]}

        """

    public static func graph() throws(GraphError) -> FeatureGraph {
        try GraphFileParser.graph(Array(yaml.utf8), file: name)
    }
}
