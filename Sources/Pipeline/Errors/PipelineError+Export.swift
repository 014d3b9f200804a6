import Reading

extension PipelineError.Code {
    /// A backup's manifest or one of its files is missing, unreadable or does not match.
    public static let corruptBackup = Self(rawValue: "corrupt_backup")
}
