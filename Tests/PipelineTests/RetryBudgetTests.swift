import Pipeline
import Testing

struct RetryBudgetTests {
    @Test func spendsUntilDryAndEarnsBack() {
        var budget = RetryBudget(capacity: 3, earnPerSuccess: 0.5)
        #expect(budget.spend() && budget.spend() && budget.spend())
        #expect(!budget.spend() && budget.refused == 1)
        budget.earn()
        #expect(!budget.spend())
        budget.earn()
        #expect(budget.spend() && budget.spent == 4)
        for _ in 0..<100 { budget.earn() }
        #expect(budget.tokens == 3)
    }
}
