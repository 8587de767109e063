import Testing

@testable import KakaoBilling

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 8, initialBackoff: .seconds(1), maxBackoff: .seconds(10), maxRetryAfter: .seconds(60))

    @Test func doublesEachStepUpToTheCap() {
        let steps = (1...6).map { policy.delay(afterAttempt: $0, retryAfter: nil, jitter: 1) }
        #expect(steps == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
    }

    @Test func jitterScalesTheStepBetweenZeroAndFull() {
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, jitter: 0) == .zero)
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, jitter: 0.25) == .seconds(1))
    }

    @Test func retryAfterWinsButIsCapped() {
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(30), jitter: 0) == .seconds(30))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(3600), jitter: 0) == .seconds(60))
    }
}
