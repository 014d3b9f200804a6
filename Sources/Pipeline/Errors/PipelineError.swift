import Reading

/// The Pipeline module's error: the reading half's error type with the codes of the engine,
/// ledger, export and backup added (`PipelineError+Engine.swift`, `PipelineError+Export.swift`).
///
/// One type for both halves keeps one set of stable codes: a reject counted by the reader and a
/// reject the target refused are summed in the same ledger column and summary.
public typealias PipelineError = ReadingError
