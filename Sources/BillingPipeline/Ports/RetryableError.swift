import BillingCore
import Foundation

/// An error that knows whether trying again can help; others count as retryable.
public protocol RetryableError: Error {
    var isRetryable: Bool { get }
}
