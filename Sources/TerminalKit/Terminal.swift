/// Where frames go and keys come from: curses for people, a virtual terminal for tests and benchmarks.
public protocol Terminal: AnyObject {
    var size: Size { get }
    var depth: ColorDepth { get }
    /// Shows `buffer`, writing only the cells that changed since the last frame.
    func draw(_ buffer: ScreenBuffer, theme: Theme)
    /// The next key within `timeout` milliseconds; nil when none came.
    func readKey(timeout: Int) -> Key?
    /// Hands the terminal back to the shell and stops the process until it is resumed (Ctrl-Z).
    func suspend()
    /// Forgets what is on the screen so the next frame repaints every cell (Ctrl-L).
    func redraw()
    /// Sends an escape sequence the screen does not show, such as an OSC 52 copy.
    func sendControl(_ sequence: String)
    /// Restores the terminal as it was before.
    func close()
}

/// Why the interactive terminal could not start; the message says what to do instead.
public struct TerminalError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// A terminal in memory: keys come from a script, frames are kept for inspection.
public final class VirtualTerminal: Terminal {
    public var size: Size
    public let depth: ColorDepth
    public private(set) var lastFrame: ScreenBuffer?
    public private(set) var frames = 0
    public private(set) var controls: [String] = []
    private var keys: [Key]

    public init(size: Size, keys: [Key] = [], depth: ColorDepth = .colors256) {
        self.size = size
        self.keys = keys
        self.depth = depth
    }

    public func draw(_ buffer: ScreenBuffer, theme: Theme) {
        lastFrame = buffer
        frames += 1
    }

    public func readKey(timeout: Int) -> Key? {
        if keys.isEmpty { return nil }
        return keys.removeFirst()
    }

    public func suspend() {}

    public func redraw() {}

    public func sendControl(_ sequence: String) { controls.append(sequence) }

    public func close() {}
}
