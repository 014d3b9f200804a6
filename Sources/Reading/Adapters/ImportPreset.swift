/// The adapters memport knows, by the name `--preset` takes.
public enum ImportPreset: String, Sendable, Hashable, Codable, CaseIterable {
    /// OpenAI chat messages (`{"messages": [...]}` per record).
    case openai
    /// ShareGPT (`{"id", "conversations": [{"from", "value"}]}`).
    case sharegpt
    /// ChatGPT data export (`conversations.json` with a `mapping` tree).
    case chatgpt
    /// Claude data export (`conversations.json` with `chat_messages`).
    case claude
    /// LoCoMo samples, imported as Mem0's own evaluation does.
    case locomo
    /// Mem0 memory dumps (`get_all` pages, arrays or NDJSON of memories).
    case mem0
    /// Generic rows or objects with a declared field mapping.
    case generic
}
