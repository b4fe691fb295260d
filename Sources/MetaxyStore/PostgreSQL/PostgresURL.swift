import Foundation

/// A `postgresql://` (or `postgres://`) store URL read with libpq's conventions: what the URL
/// leaves out comes from PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD and `~/.pgpass`
/// (PGPASSFILE), then libpq's defaults (the Unix socket in /var/run/postgresql, port 5432, the
/// login name as user and database). `host=/dir` names a socket directory; `schema=` the schema
/// the store's tables live in (default `public`).
struct PostgresURL: Equatable {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    var schema = "public"
    var sslMode = "prefer"
    var connectTimeout = 5
    /// The URL as given, password hidden: what messages and screens show.
    var shown: String

    /// The socket file when `host` is a directory, as libpq makes it.
    var socketPath: String? { host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : nil }

    static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// `URL@SNAPSHOT`: the snapshot part is after the last `@` past the URL's authority (an `@`
    /// before the first `/` after `://` separates the user).
    static func splitSnapshot(_ reference: String) -> (url: String, snapshot: String?) {
        guard let scheme = reference.range(of: "://") else { return (reference, nil) }
        guard let slash = reference[scheme.upperBound...].firstIndex(of: "/"),
              let at = reference[slash...].lastIndex(of: "@") else { return (reference, nil) }
        return (String(reference[..<at]), String(reference[reference.index(after: at)...]))
    }

    init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment,
         home: String = NSHomeDirectory()) throws(StoreError) {
        shown = Self.hidingPassword(text)
        // A URL that does not parse may hold its password where it cannot be told apart.
        let fail = { (what: String) in StoreError(file: Self.hidingUserinfo(text), what) }
        guard let scheme = text.range(of: "://") else { throw fail("is not a postgresql:// URL") }
        var rest = Substring(text[scheme.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var urlUser: String?, urlPassword: String?
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userinfo.firstIndex(of: ":") {
                urlUser = try Self.decode(userinfo[..<colon], fail)
                urlPassword = try Self.decode(userinfo[userinfo.index(after: colon)...], fail)
            } else {
                urlUser = try Self.decode(userinfo, fail)
            }
        }
        var urlHost: String?, urlPort: String?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw fail("has an unclosed [ in its host") }
            urlHost = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { urlPort = String(after.dropFirst()) }
        } else if let colon = rest.lastIndex(of: ":") {
            urlHost = try Self.decode(rest[..<colon], fail)
            urlPort = String(rest[rest.index(after: colon)...])
        } else if !rest.isEmpty {
            urlHost = try Self.decode(rest, fail)
        }
        guard !(urlHost ?? "").contains(",") else { throw fail("names several hosts; give one") }
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") where !pair.isEmpty {
            guard let equals = pair.firstIndex(of: "=") else { throw fail("has a parameter without a value: '\(pair)'") }
            parameters[try Self.decode(pair[..<equals], fail)] = try Self.decode(pair[pair.index(after: equals)...], fail)
        }
        let known: Set = ["host", "hostaddr", "port", "user", "password", "dbname", "sslmode", "schema", "connect_timeout",
                          "application_name"]
        if let unknown = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("has an unknown parameter '\(unknown)'; known: \(known.sorted().joined(separator: ", "))")
        }
        func pick(_ parameter: String, _ fromURL: String?, _ variable: String) -> String? {
            [parameters[parameter], fromURL, environment[variable]].compactMap { $0 }.first { !$0.isEmpty }
        }
        host = pick("host", urlHost, "PGHOST") ?? parameters["hostaddr"] ?? "/var/run/postgresql"
        let portText = pick("port", urlPort, "PGPORT") ?? "5432"
        // Not quoted: a password with an unescaped `/` leaves part of itself where the port goes.
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw fail("its port is not a number from 1 to 65535 (a password holding / ? # or @ must be %-escaped)")
        }
        self.port = port
        user = pick("user", urlUser, "PGUSER") ?? ProcessInfo.processInfo.userName
        database = pick("dbname", path.isEmpty ? nil : try Self.decode(path, fail), "PGDATABASE") ?? user
        if let schema = parameters["schema"], !schema.isEmpty { self.schema = schema }
        if let mode = pick("sslmode", nil, "PGSSLMODE") {
            let modes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]
            guard modes.contains(mode) else { throw fail("sslmode '\(mode)' is not one of \(modes.joined(separator: ", "))") }
            sslMode = mode
        }
        if let timeout = pick("connect_timeout", nil, "PGCONNECT_TIMEOUT") {
            guard let seconds = Int(timeout), seconds >= 0 else { throw fail("connect_timeout '\(timeout)' is not a number of seconds") }
            connectTimeout = seconds == 0 ? 5 : max(seconds, 2)
        }
        password = pick("password", urlPassword, "PGPASSWORD")
        if password == nil {
            password = Self.passwordFile(environment["PGPASSFILE"] ?? home + "/.pgpass", host: host.hasPrefix("/") ? "localhost" : host,
                                         port: port, database: database, user: user)
        }
    }

    /// The first `~/.pgpass` line matching host:port:database:user (`*` matches anything, `\`
    /// escapes); libpq ignores a file others can read, and so does this.
    static func passwordFile(_ file: String, host: String, port: Int, database: String, user: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0,
              let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            var fields: [String] = [""], escaped = false
            for character in line {
                if escaped { fields[fields.count - 1].append(character); escaped = false }
                else if character == "\\" { escaped = true }
                else if character == ":" && fields.count < 5 { fields.append("") }
                else { fields[fields.count - 1].append(character) }
            }
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields, wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// Where passwords are in `text`: its userinfo's, and any `password=` parameter's.
    static func passwordRanges(_ text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        if let scheme = text.range(of: "://") {
            let authorityEnd = text[scheme.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? text.endIndex
            let authority = text[scheme.upperBound..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                ranges.append(text.index(after: colon)..<at)
            }
        }
        var from = text.startIndex
        while let found = text[from...].range(of: "password=") {
            let end = text[found.upperBound...].firstIndex(of: "&") ?? text.endIndex
            ranges.append(found.upperBound..<end)
            from = end
        }
        return ranges
    }

    /// `text` with everything between `://` and its last `@` as `***`.
    static func hidingUserinfo(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else { return hidingPassword(text) }
        return hidingPassword(String(text[..<scheme.upperBound]) + "***" + String(text[at...]))
    }

    /// `text` with its passwords as `***`.
    static func hidingPassword(_ text: String) -> String {
        var out = text
        for range in passwordRanges(text).reversed() { out.replaceSubrange(range, with: "***") }
        return out
    }

    /// `text` with the password of every store URL in it as `***` (a URL ends at a space, a
    /// quote or a backtick): for messages that quote what the user typed.
    static func hidingPasswords(inText text: String) -> String {
        guard text.contains("postgres") else { return text }
        var out = "", rest = Substring(text)
        while let start = rest.range(of: "postgres")?.lowerBound {
            out += rest[..<start]
            let end = rest[start...].firstIndex(where: { $0 == " " || $0 == "`" || $0 == "'" || $0 == "\"" || $0 == "\n" }) ?? rest.endIndex
            out += hidingPassword(String(rest[start..<end]))
            rest = rest[end...]
        }
        return out + rest
    }

    /// Overwrites, in place, the passwords of every store URL among this process's arguments
    /// with `*`: `ps` and /proc/PID/cmdline then never show them. Call once, first thing.
    static func hideArgumentPasswords() {
        _ = CommandLine.arguments  // read, and kept, before argv changes
        for i in 1..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[i] else { continue }
            let text = String(cString: argument)
            guard text.contains("://") || text.contains("password=") else { continue }
            let url = text.range(of: "postgres").map { String(text[$0.lowerBound...]) } ?? text
            let offset = text.utf8.count - url.utf8.count
            for range in passwordRanges(url) {
                let start = offset + url.utf8.distance(from: url.startIndex, to: range.lowerBound)
                let end = offset + url.utf8.distance(from: url.startIndex, to: range.upperBound)
                for offset in start..<end { argument[offset] = CChar(bitPattern: UInt8(ascii: "*")) }
            }
        }
    }

    private static func decode(_ part: Substring, _ fail: (String) -> StoreError) throws(StoreError) -> String {
        guard let decoded = String(part).removingPercentEncoding else { throw fail("has a bad %-escape (write % itself as %25)") }
        return decoded
    }
}
