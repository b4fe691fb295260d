import Foundation
@testable import MetaxyTUI
import TestSupport
import Testing

/// A binary run from the source tree finds the bundled themes, wherever its own source file sits.
@Suite struct ThemeLocationTests {
    @Test func theSourceTreesThemesAreFound() throws {
        let themes = Fixtures.repository.appendingPathComponent("Themes").standardized.path
        #expect(ThemeLocations.bundledDirectories().map(\.path).contains(themes))
        let catalog = ThemeLocations.catalog(environment: ["XDG_CONFIG_HOME": "/nonexistent"])
        #expect(Set(["dark", "light", "nord", "mono", "high-contrast"]).isSubset(of: Set(catalog.names())))
        #expect(catalog.load("dark").1 == nil, "the default theme loads without a problem")
    }
}
