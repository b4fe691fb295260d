import ArgumentParser
import Foundation
import MetaxyCore
import MetaxyStore

/// The shell around every command: exact bytes to stdout, problems to stderr with exit code 1.
enum CLI {
    /// A long command's bar is taken off the screen before anything else is printed; work
    /// stopped by Ctrl-C (it undid itself) says so with `stopped` and ends with status 130.
    static func run<T>(_ bar: ProgressBar? = nil, stopped: String = "interrupted", _ body: () throws -> T) throws -> T {
        defer { bar?.finish() }
        do {
            return try body()
        } catch is WorkStopped {
            bar?.clear()
            note(stopped)
            throw ExitCode(130)
        } catch {
            bar?.clear()
            note(String(describing: error))
            throw ExitCode(1)
        }
    }

    /// A remark for the person at the terminal, on stderr so stdout stays what scripts read.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A file's bytes, or standard input for `-`.
    static func readInput(_ path: String) throws -> [UInt8] {
        if path == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StoreError(file: path, "no such file; give a JSONL file of rows, or - for standard input")
        }
        guard !isDirectory.boolValue else { throw StoreError(file: path, "is a directory; give a JSONL file of rows, or - for standard input") }
        guard let data = FileManager.default.contents(atPath: path) else { throw StoreError(file: path, "cannot be read; check its permissions") }
        return [UInt8](data)
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// The width cards are laid out to: $COLUMNS when set, else 120.
    static var terminalWidth: Int {
        ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 120
    }
}
