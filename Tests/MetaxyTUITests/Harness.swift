import Foundation
import MetaxyCore
import MetaxyTUI
import TerminalKit
import TestSupport

/// Runs the app headless: a virtual terminal, keys from a script, effects carried out inline.
enum Harness {
    static let themes = ThemeCatalog(directories: [Fixtures.repository.appendingPathComponent("Themes")])
    static let goldens = Fixtures.repository.appendingPathComponent("Tests/MetaxyTUITests/Goldens")

    static func demo() throws -> (FeatureGraph, GraphSource) { try GraphOpening.open(nil) }

    static func vector(_ name: String) throws -> (FeatureGraph, GraphSource) {
        try GraphOpening.open(Fixtures.vectors.appendingPathComponent("graphs/\(name).json").path)
    }

    static func session(_ opened: (FeatureGraph, GraphSource), size: Size = Size(width: 120, height: 40),
                        keys: String = "", theme: String? = nil, catalog: ThemeCatalog = themes,
                        depth: ColorDepth = .colors256) throws -> (Session, VirtualTerminal) {
        let terminal = VirtualTerminal(size: size, keys: try KeyNotation.parse(keys), depth: depth)
        return (Session.headless(opened, terminal: terminal, themeName: theme, catalog: catalog), terminal)
    }

    /// The state after pressing `keys` on the bundled example.
    static func replay(_ keys: String, size: Size = Size(width: 120, height: 40)) throws -> AppState {
        try session(demo(), size: size, keys: keys).0.state
    }

    static func press(_ keys: String, on session: Session) throws {
        for key in try KeyNotation.parse(keys) { session.dispatch(.key(key)) }
    }

    /// The screen's text, then its style layer: what a render golden holds.
    static func snapshot(_ buffer: ScreenBuffer) -> String {
        buffer.text + "--- roles ---\n" + buffer.styleLayer
    }

    static func mismatch(_ buffer: ScreenBuffer, golden name: String) -> String? {
        Golden.mismatch(snapshot(buffer), golden: goldens.appendingPathComponent(name + ".screen"))
    }
}
