import ArgumentParser
import Foundation
import MetaxyCore
import MetaxyStore

/// The shell around every command: exact bytes to stdout, problems to stderr with exit code 1.
enum CLI {
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            let text = String(describing: error)
            FileHandle.standardError.write(Data((text + "\n").utf8))
            throw ExitCode(1)
        }
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// The width cards are laid out to: $COLUMNS when set, else 120.
    static var terminalWidth: Int {
        ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 120
    }
}
