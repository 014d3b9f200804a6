/// One CSV data row: its fields and the column names they belong to.
public struct CSVRow: Sendable, Hashable {
    /// The column names.
    public var header: [String]
    /// The fields, one per column.
    public var fields: [String]

    /// Creates a row.
    public init(header: [String], fields: [String]) {
        self.header = header
        self.fields = fields
    }

    /// The field of a named column; `nil` when the column does not exist.
    public subscript(column: String) -> String? {
        guard let i = header.firstIndex(of: column), i < fields.count else { return nil }
        return fields[i]
    }
}
