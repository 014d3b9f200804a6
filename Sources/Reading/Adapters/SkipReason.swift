/// The reasons adapters count under `skipped_by_reason`: one vocabulary for every adapter, so
/// the same case has the same name whatever the export.
///
/// A skip is something dropped by rule that needs no action from the user; what needs one is a
/// reject. `*_part` reasons count pieces of a message that never become memory text (the message
/// itself may still import); `*_turn` reasons count whole messages not imported;
/// `empty_conversation` counts records with nothing left to import.
public enum SkipReason {
    /// A conversation (record) with no importable message.
    public static let emptyConversation = "empty_conversation"

    /// A system or developer message: instructions to the model, not something a user said.
    public static let systemTurn = "system_turn"
    /// A tool call or tool result: messages to or from a tool, browsing and code output,
    /// function-call turns, or a message whose only content is tool blocks.
    public static let toolTurn = "tool_turn"
    /// Model reasoning: ChatGPT `thoughts`, `reasoning_recap` and `analysis` messages, or a
    /// message whose only content is thinking blocks.
    public static let reasoningTurn = "reasoning_turn"
    /// A message whose only content is images, audio, video or files (no text, no transcript).
    public static let mediaTurn = "media_turn"
    /// A message with no text at all.
    public static let emptyTurn = "empty_turn"
    /// ChatGPT: custom instructions and memory-tool context (`user_editable_context`,
    /// `model_editable_context`).
    public static let contextTurn = "context_turn"
    /// ChatGPT: a message the app hides (`is_visually_hidden_from_conversation`).
    public static let hiddenTurn = "hidden_turn"
    /// ChatGPT: a message with `weight` 0.
    public static let zeroWeightTurn = "zero_weight_turn"
    /// ChatGPT: an error the app showed (`system_error`).
    public static let errorTurn = "error_turn"

    /// An image (ChatGPT `image_asset_pointer`, an OpenAI `image_url` part, an uploaded image).
    public static let imagePart = "image_part"
    /// Audio (ChatGPT `audio_asset_pointer` and voice-mode recordings, OpenAI `input_audio`).
    public static let audioPart = "audio_part"
    /// Video (ChatGPT video-mode frames and containers).
    public static let videoPart = "video_part"
    /// A file or attachment that is not text the adapter keeps.
    public static let filePart = "file_part"
    /// A tool block inside a message (Claude `tool_use` and `tool_result`, OpenAI `tool_calls`).
    public static let toolPart = "tool_part"
    /// Model reasoning inside a message (Claude `thinking` and `redacted_thinking`).
    public static let reasoningPart = "reasoning_part"
    /// Claude's `token_budget` block.
    public static let tokenBudgetPart = "token_budget_part"
    /// An export's placeholder for a block it could not render ("This block is not supported on
    /// your current device yet.").
    public static let placeholderPart = "placeholder_part"

    /// An input reject a replay already resolved (its fixed copy was imported), met again in the
    /// unfixed input.
    public static let fixedByReplay = "fixed_by_replay"
}
