import Reading

extension PipelineError.Code {
    /// The ledger cannot be opened, read or written.
    public static let ledger = Self(rawValue: "ledger")
    /// A pipeline file is malformed.
    public static let pipelineFile = Self(rawValue: "pipeline_file")
    /// No job has that id.
    public static let jobNotFound = Self(rawValue: "job_not_found")
    /// The target refused the API key.
    public static let authentication = Self(rawValue: "authentication")
    /// The target cannot be reached or keeps failing.
    public static let target = Self(rawValue: "target")
    /// A broken promise inside memport itself (a bug): the ledger is left consistent.
    public static let `internal` = Self(rawValue: "internal")
    /// An output file cannot be written.
    public static let output = Self(rawValue: "output")
}

extension PipelineError.Code {
    /// Another process holds the state directory's lock.
    public static let stateLocked = Self(rawValue: "state_locked")
}

extension PipelineError.Code {
    /// The target refused the connection (or its name does not resolve) before anything was sent.
    public static let targetUnreachable = Self(rawValue: "target_unreachable")
}
