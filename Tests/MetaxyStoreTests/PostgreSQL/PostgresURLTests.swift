import Foundation
@testable import MetaxyStore
import Testing
import TestSupport

/// Store URLs read as libpq reads them.
@Suite struct PostgresURLTests {
    let home = "/nonexistent-home"

    @Test func whatTheURLLeavesOutComesFromTheEnvironmentThenTheDefaults() throws {
        let full = try PostgresURL("postgresql://alice:p%40ss@db.example.com:6543/metrics?sslmode=require&schema=team&connect_timeout=9",
                                   environment: [:], home: home)
        #expect(full.host == "db.example.com" && full.port == 6543 && full.user == "alice" && full.password == "p@ss")
        #expect(full.database == "metrics" && full.schema == "team" && full.sslMode == "require" && full.connectTimeout == 9)
        #expect(full.shown == "postgresql://alice:***@db.example.com:6543/metrics?sslmode=require&schema=team&connect_timeout=9")

        let environment = ["PGHOST": "envhost", "PGPORT": "7777", "PGUSER": "bob", "PGDATABASE": "envdb", "PGPASSWORD": "envpw"]
        let bare = try PostgresURL("postgres://", environment: environment, home: home)
        #expect(bare.host == "envhost" && bare.port == 7777 && bare.user == "bob" && bare.database == "envdb" && bare.password == "envpw")
        #expect(bare.schema == "public" && bare.sslMode == "prefer" && bare.connectTimeout == 5)

        let socket = try PostgresURL("postgresql:///metaxy?host=/tmp/pg&port=5433&user=carol", environment: [:], home: home)
        #expect(socket.socketPath == "/tmp/pg/.s.PGSQL.5433" && socket.user == "carol" && socket.database == "metaxy")
        let defaults = try PostgresURL("postgresql://dave@", environment: [:], home: home)
        #expect(defaults.socketPath == "/var/run/postgresql/.s.PGSQL.5432" && defaults.database == "dave")
    }

    @Test func thePasswordFileIsReadAsLibpqReadsIt() throws {
        let dir = try Fixtures.temporaryDirectory()
        let file = dir.appendingPathComponent("pgpass").path
        try "# comment\nother:5432:*:alice:nope\ndb.example.com:*:metrics:alice:pa\\:ss\n*:*:*:*:fallback\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        let url = try PostgresURL("postgresql://alice@db.example.com/metrics", environment: ["PGPASSFILE": file], home: home)
        #expect(url.password == "pa:ss")
        // A socket connection matches `localhost`; the last line matches anything.
        #expect(try PostgresURL("postgresql:///x?host=/tmp", environment: ["PGPASSFILE": file, "PGUSER": "z"], home: home).password == "fallback")
        // A file others can read is ignored, as libpq ignores it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(try PostgresURL("postgresql://alice@db.example.com/metrics", environment: ["PGPASSFILE": file], home: home).password == nil)
    }

    @Test func badURLsAreNamedWithoutTheirPassword() {
        for (text, problem) in [("postgresql://u:pw@h:99999/db", "its port is not a number from 1 to 65535"),
                                ("postgresql://u:pw@h/db?sslmode=maybe", "sslmode 'maybe' is not one of"),
                                ("postgresql://u:pw@h/db?colour=red", "unknown parameter 'colour'"),
                                ("postgresql://u:pw@a,b/db", "names several hosts"),
                                // A password with an unescaped `/` cuts the URL short: it is hidden all the same.
                                ("postgresql://u:pw/x@h/db", "its port is not a number"),
                                ("postgresql://u:100%pw@h/db", "has a bad %-escape")] {
            #expect {
                try PostgresURL(text, environment: [:], home: home)
            } throws: { error in
                let message = "\(error)"
                // A URL that does not parse is shown without its user and password.
                return message.contains(problem) && !message.contains("pw") && message.contains("postgresql://***@")
            }
        }
    }

    @Test func aSnapshotFollowsTheURLsPathAndPasswordsAreHiddenInAnyText() {
        #expect(PostgresURL.splitSnapshot("postgresql://u:p@h/db@8468950d") == ("postgresql://u:p@h/db", "8468950d"))
        #expect(PostgresURL.splitSnapshot("postgresql://u:p@h/db") == ("postgresql://u:p@h/db", nil))
        #expect(PostgresURL.splitSnapshot("postgresql://u@h/db?schema=s@latest") == ("postgresql://u@h/db?schema=s", "latest"))
        #expect(PostgresURL.hidingPasswords(inText: "run `store push postgres://u:secret@h/db --graph g` or x?password=secret&y=1 ok")
            == "run `store push postgres://u:***@h/db --graph g` or x?password=secret&y=1 ok")
        #expect(PostgresURL.hidingPassword("postgresql://h/db?password=secret&schema=s") == "postgresql://h/db?password=***&schema=s")
        #expect(StoreError(file: "postgresql://u:secret@h/db", "see postgresql://u:secret@h/db").description.contains("secret") == false)
    }
}
