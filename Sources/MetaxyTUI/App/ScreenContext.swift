import MetaxyCore
import TerminalKit

/// What a screen's `update` reads of the app around it, and what it asks of it besides changing
/// its own state: a message, slow work, another screen, a jump on the Graph screen, a prompt.
/// A screen never calls back into the dispatcher; the app applies these once the screen is done.
struct ScreenContext {
    let graph: FeatureGraph
    let size: Size
    let source: GraphSource
    /// The diff loaded on the Diff screen, for the DAG's diff colours.
    let diff: GraphDiff?

    var message: StatusMessage?
    var effects: [Effect] = []
    var show: Screen?
    var jump: (feature: Int, field: Int?)?
    var prompt: Prompt?
    /// The Sample screen for this sample.
    var lookup: SampleUID?
    /// The migration preview of the diff shown.
    var migrate = false

    mutating func say(_ text: String, error: Bool = false) { message = StatusMessage(text: text, isError: error) }
}

/// A screen as its own model: it handles the commands that are its business and returns false
/// for the rest, which then go to the global keymap.
protocol ScreenModel {
    mutating func update(_ command: Command, _ context: inout ScreenContext) -> Bool
}
