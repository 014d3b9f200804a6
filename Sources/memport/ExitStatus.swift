/// The exit codes of DESIGN.md (the README's table).
enum ExitStatus {
    static let ok: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
    static let inputNotFound: Int32 = 3
    static let authentication: Int32 = 4
    /// Retryable failures remain, or the target refused the connection before anything was sent.
    static let retryable: Int32 = 5
    static let rejects: Int32 = 6
    /// Another memport process holds the state directory.
    static let stateLocked: Int32 = 7
    static let interrupted: Int32 = 130
}
