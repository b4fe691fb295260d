import Foundation

/// Read-only descriptors of a store's database and WAL-index (`-shm`) files, opened once per
/// process and never closed. Closing any descriptor of a file drops every POSIX lock the process
/// holds on it, SQLite's own included: a `-shm` opened and closed beside a writing connection
/// let another process take the WAL index for abandoned and rebuild it under the writer
/// (SQLite's unix VFS defers its own closes for the same reason).
enum HeldFiles {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var held: [String: (fd: Int32, device: UInt64, inode: UInt64)] = [:]

    /// The descriptor of the file now at `path`; nil when it cannot be opened.
    static func descriptor(_ path: String) -> Int32? {
        lock.withLock {
            if let fd = current(path) { return fd }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            adopt(fd, path)
            return fd
        }
    }

    /// The first `count` bytes of the file at `path` (fewer when it is shorter). A file that is
    /// no SQLite database holds no SQLite lock, so its descriptor is closed (a graph file an
    /// editor saves anew each time is read here too); a database's is kept.
    static func prefix(_ path: String, _ count: Int) -> [UInt8]? {
        lock.withLock {
            let fd = current(path) ?? open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            var bytes = [UInt8](repeating: 0, count: count)
            let read = pread(fd, &bytes, count, 0)
            let prefix = read < 0 ? nil : Array(bytes.prefix(read))
            if current(path) != fd {
                if prefix?.starts(with: Array("SQLite format 3\0".utf8)) == true { adopt(fd, path) } else { close(fd) }
            }
            return prefix
        }
    }

    /// The held descriptor of the file now at `path`, if any.
    private static func current(_ path: String) -> Int32? {
        var now = stat()
        guard stat(path, &now) == 0, let file = held[path], file.device == UInt64(now.st_dev), file.inode == UInt64(now.st_ino) else { return nil }
        return file.fd
    }

    /// Holds `fd` for `path`. The descriptor of a file replaced there stays open: another thread
    /// may still read through it, and a connection may still hold locks on that file.
    private static func adopt(_ fd: Int32, _ path: String) {
        var opened = stat()
        fstat(fd, &opened)
        held[path] = (fd, UInt64(opened.st_dev), UInt64(opened.st_ino))
    }
}
