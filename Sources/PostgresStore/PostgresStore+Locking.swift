import BillingPipeline
import PostgresNIO

/// Session advisory locks on the store's connection; PostgreSQL drops them when the connection ends,
/// so a crashed run never leaves a stale lock.
extension PostgresStore: JobLocking {
    public func withJobLock<T>(
        _ name: String, wait: Duration, waiting: @Sendable () -> Void, _ body: () async throws -> T
    ) async throws -> T {
        let key = "billing-alert:" + name
        do {
            try await acquire(name, wait: wait, waiting: waiting) {
                var locked = false
                for try await value in try await connection.query("SELECT pg_try_advisory_lock(hashtext(\(key)))", logger: logger)
                    .decode(Bool.self)
                {
                    locked = value
                }
                return locked
            }
        } catch let error as JobLockBusy {
            throw error
        } catch {
            throw PostgresStoreError.failed("take the lock \(name)", location, error)
        }
        do {
            let result = try await body()
            _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext(\(key)))", logger: logger)
            return result
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext(\(key)))", logger: logger)
            throw error
        }
    }
}
