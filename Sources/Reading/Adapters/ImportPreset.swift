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
    /// Mem0 memory dumps (`get_all` pages, arrays or NDJSON of memories, with or without ids)
    /// and the official `mem0` CLI's files (`import` arrays, `list`/`get`/`search` output).
    case mem0
    /// The official OSS-to-Platform migration's artifact (`kind: mem0_oss_qdrant_export`, or a bare
    /// array of its records) and its review file (`kind: mem0_platform_import_review`).
    case mem0Migration = "mem0-migration"
    /// OpenMemory backup zips (`memories_export_<user>.zip`) or their `memories.json`.
    case openmemory
    /// Generic rows or objects with a declared field mapping.
    case generic
}
