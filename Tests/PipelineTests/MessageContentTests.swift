import Testing

@testable import Reading

@Suite struct MessageContentTests {
    /// The byte-level check agrees with `Character.isWhitespace` on ASCII, Unicode spaces,
    /// CRLF and combining marks.
    @Test func whitespaceOnlyTextIsDroppedAsCharacterSaysIt() {
        let cases = [
            "", " ", "\t\n\r\u{0B}\u{0C}", "\r\n", " a", "a", "\u{00A0}", " \u{2003}\u{3000}", "\u{85}",
            " \u{301}", "\u{200B}", "  é", "\n\u{1F44B}", "\u{1C}", "x\u{301}",
        ]
        for text in cases {
            let expected = text.contains(where: { !$0.isWhitespace })
            #expect(MessageContent.hasNonWhitespace(text) == expected, "\(Array(text.unicodeScalars))")
            var content = MessageContent()
            content.append(text: text)
            #expect(content.isEmpty == !expected)
        }
    }

    @Test func oneTextIsItselfAndSeveralAreJoinedByNewlines() {
        var content = MessageContent()
        content.append(text: "first")
        #expect(content.text == "first")
        content.append(text: "   ")
        content.append(text: "second")
        #expect(content.text == "first\nsecond")
    }
}
