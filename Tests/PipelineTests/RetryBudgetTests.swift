import Pipeline
import Testing

struct RetryBudgetTests {
    @Test func spendsUntilDryAndEarnsBack() {
        var budget = RetryBudget(capacity: 3, earnPerSuccess: 0.5)
        let first = (0..<4).map { _ in budget.spend() }
        #expect(first == [true, true, true, false] && budget.refused == 1)
        budget.earn()
        let halfEarned = budget.spend()
        #expect(!halfEarned)
        budget.earn()
        let earned = budget.spend()
        #expect(earned && budget.spent == 4)
        for _ in 0..<100 { budget.earn() }
        #expect(budget.tokens == 3)
    }
}
