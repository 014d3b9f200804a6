import Pipeline
import Reading
import Testing

@Suite struct LoCoMoDateTests {
    @Test func parsesSessionDates() {
        #expect(LoCoMoDate.parse("1:56 pm on 8 May, 2023") == 1_683_554_160)
        #expect(LoCoMoDate.parse("12:09 am on 13 September, 2023") == 1_694_563_740)
        #expect(LoCoMoDate.parse("12:30 pm on 1 January, 2024") == 1_704_112_200)
        #expect(LoCoMoDate.parse("10:37 am on 27 June, 2023") == 1_687_862_220)
    }

    @Test func refusesOtherShapes() {
        #expect(LoCoMoDate.parse("2023-05-08") == nil)
        #expect(LoCoMoDate.parse("13:00 pm on 8 May, 2023") == nil)
        #expect(LoCoMoDate.parse("1:56 pm on 8 Maybe, 2023") == nil)
    }
}
