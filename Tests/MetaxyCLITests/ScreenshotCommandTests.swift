import Foundation
import TestSupport
import Testing

/// `metaxy-tui screenshot`: keys replayed headless, the screen written as SVG or text.
@Suite struct ScreenshotCommandTests {
    @Test func textAfterKeysMatchesTheScreen() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("s.txt").path
        let graph = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        let result = try Binary.run(["screenshot", graph, "--size", "80x24", "--keys", "k<Tab>", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 25)
        #expect(text.contains("╭ 2 example/stt "))
        #expect(text.contains("Lineage of transcription"))
    }

    @Test func svgKeepsTheThemeColours() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("s.svg").path
        let result = try Binary.run(["screenshot", "--theme", "nord", "--out", out], environment: ["NO_COLOR": ""])
        #expect(result.status == 0, "\(result.stderr)")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.contains("fill=\"#88c0d0\""), "nord's frost accent")
        let mono = dir.appendingPathComponent("m.svg").path
        #expect(try Binary.run(["screenshot", "--out", mono], environment: ["NO_COLOR": "1"]).status == 0)
        #expect(try !String(contentsOfFile: mono, encoding: .utf8).contains("fill=\"#88c0d0\""))
    }

    @Test(arguments: [
        (["--size", "12", "--out", "x.txt"], "--size takes COLUMNSxROWS"),
        (["--out", "x.png"], "--out must end in .svg or .txt"),
        (["--keys", "<Nope>", "--out", "x.txt"], "unknown key <Nope>"),
        (["--screen", "samples", "--out", "x.txt"], "--screen samples is not available; screens: graph, dag, diff, store"),
    ])
    func badArgumentsSayWhatToType(arguments: [String], message: String) throws {
        let result = try Binary.run(["screenshot"] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func aMissingGraphIsABadInputError() throws {
        let result = try Binary.run(["screenshot", "/nonexistent.yaml", "--out", "/tmp/never.txt"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent.yaml"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.txt"))
    }
}
