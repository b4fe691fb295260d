import NIOCore
import NIOPosix
import PostgresNIO

/// What went wrong talking to a server, said as a user can act on it. The URL is shown with its
/// password hidden, and no message of the server's that could echo a password is passed on.
enum PostgresFault {
    static func storeError(_ error: Error, url: PostgresURL, connecting: Bool) -> StoreError {
        if let error = error as? StoreError { return error }
        let place = url.socketPath.map { "the socket \($0)" } ?? "\(url.host):\(url.port)"
        guard let psql = error as? PSQLError else {
            return StoreError(file: url.shown, describe(error, place: place, url: url))
        }
        if psql.code == .server, let server = psql.serverInfo {
            let state = server[.sqlState] ?? ""
            let message = server[.message] ?? "an error"
            switch state {
            case "28P01":
                return StoreError(file: url.shown, "the server refused the password of role '\(url.user)'; check the password "
                    + "(in the URL, PGPASSWORD or ~/.pgpass)")
            case "28000":
                return StoreError(file: url.shown, "the server does not let role '\(url.user)' in (\(message)); check pg_hba.conf and the user name")
            case "3D000":
                return StoreError(file: url.shown, "database '\(url.database)' does not exist on \(place); create it (createdb \(url.database)) or fix the URL")
            case "42501":
                return StoreError(file: url.shown, "role '\(url.user)' may not do this here (\(message)); ask for write rights "
                    + "(GRANT INSERT, CREATE) or open the store read-only")
            case "57014":
                return StoreError(file: url.shown, "a statement ran past the server's statement_timeout and was cancelled; "
                    + "raise it for this role (ALTER ROLE … SET statement_timeout) or try again when the server is less busy")
            case "57P01", "57P02", "57P03":
                return StoreError(file: url.shown, "the server is shutting down or restarting (\(message)); try again in a moment")
            case "3F000":
                return StoreError(file: url.shown, "schema '\(url.schema)' does not exist in database '\(url.database)'; fix schema= in the URL")
            case "53300":
                return StoreError(file: url.shown, "the server has no connection slots left (\(message)); try again later")
            default:
                return StoreError(file: url.shown, "the server said: \(message) (SQLSTATE \(state))")
            }
        }
        switch psql.code {
        case .sslUnsupported:
            return StoreError(file: url.shown, "the server at \(place) does not accept TLS, and sslmode=\(url.sslMode) requires it; "
                + "enable ssl on the server or use sslmode=prefer")
        case .authMechanismRequiresPassword:
            return StoreError(file: url.shown, "the server asks role '\(url.user)' for a password and none was given; "
                + "put it in PGPASSWORD or ~/.pgpass (never in a shared command line)")
        case .unsupportedAuthMechanism:
            return StoreError(file: url.shown, "the server asks for an authentication method postgres-nio does not speak; use "
                + "scram-sha-256, md5 or trust in pg_hba.conf")
        case .serverClosedConnection, .uncleanShutdown:
            if connecting, let underlying = psql.underlying {
                return StoreError(file: url.shown, describe(underlying, place: place, url: url))
            }
            return StoreError(file: url.shown, connecting ? "the server at \(place) closed the connection while it was being set up; "
                + "check its log" : "the connection to \(place) was lost (the server restarted or went away); try again")
        case .connectionError:
            return StoreError(file: url.shown, describe(psql.underlying ?? error, place: place, url: url))
        default:
            return StoreError(file: url.shown, "PostgreSQL error (\(psql.code)) talking to \(place)")
        }
    }

    private static func describe(_ error: Error, place: String, url: PostgresURL) -> String {
        let text = "\(error)"
        if error is ChannelError || text.contains("connectTimeout") || text.contains("timeout") {
            return "the server at \(place) did not answer within \(url.connectTimeout) s; check the host and port, "
                + "or that no firewall is in the way (connect_timeout= in the URL waits longer)"
        }
        if text.contains("connection refused") || text.contains("Connection refused") || text.contains("ECONNREFUSED") {
            return "nothing accepts connections at \(place) (connection refused); is PostgreSQL running there?"
        }
        if text.contains("unreachable") || text.contains("ENETUNREACH") || text.contains("EHOSTUNREACH") {
            return "no route to \(place) (the network or host is unreachable); check the host, or the network between"
        }
        if text.contains("No such file") || text.contains("ENOENT") {
            return "no PostgreSQL socket at \(place); is the server running, and is host= its socket directory?"
        }
        if text.contains("resolve") || text.contains("NXDOMAIN") || text.contains("getaddrinfo") {
            return "the host '\(url.host)' cannot be resolved; check the URL"
        }
        return "cannot reach the server at \(place): \(text)"
    }
}
