import Foundation
import Testing

@testable import Pipeline
@testable import Reading

@Suite struct ExportPlaceholderTests {
    @Test func fencedAndBarePlaceholdersAreTakenOut() {
        let fenced = ExportPlaceholder.strip(
            "Sure.\n\n```\nThis block is not supported on your current device yet.\n```\n\nDone.")
        #expect(fenced.text == "Sure.\n\nDone." && fenced.removed == 1)
        let bare = ExportPlaceholder.strip("This block is not supported on your current device yet.")
        #expect(bare.text.isEmpty && bare.removed == 1)
        let mobile = ExportPlaceholder.strip(
            "Viewing artifacts created via the Analysis Tool web feature preview isn\u{2019}t yet supported on mobile.\n\nHi"
        )
        #expect(mobile.text == "Hi" && mobile.removed == 1)
    }

    @Test func ordinaryTextIsLeftAlone() {
        let text = "Is this block supported on my device? It says it is not supported on your current device yet."
        #expect(ExportPlaceholder.strip(text) == (text: text, removed: 0))
    }
}
