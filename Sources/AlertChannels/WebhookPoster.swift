import AsyncHTTPClient
import BillingPipeline
import Foundation
import HTTPTransport
import NIOCore

/// POSTs JSON to a webhook whose URL is a secret, reporting failures without the URL.
struct WebhookPoster {
    var service: String
    var url: String
    var configKey: String
    var httpClient: HTTPClient
    var timeout: Duration

    func post(_ body: Data) async throws {
        let (status, text) = try await send(body)
        guard (200..<300).contains(status) else {
            throw WebhookError(service: service, configKey: configKey, status: status, answer: text)
        }
    }

    /// Sends a payload the service rejects without delivering, to show the URL answers; returns how.
    func probe(_ body: Data) async throws -> String {
        let (status, text) = try await send(body)
        switch status {
        case 200..<300, 400: return "answered HTTP \(status)"
        default: throw WebhookError(service: service, configKey: configKey, status: status, answer: text)
        }
    }

    /// Asks with GET, which a webhook answers (often 405) without acting: for receivers that would act
    /// on any POST. Any answer but a server error shows the address is served.
    func probeWithoutPosting() async throws -> String {
        let (status, text) = try await send(nil)
        guard status < 500 else { throw WebhookError(service: service, configKey: configKey, status: status, answer: text) }
        return "answered HTTP \(status) to a GET"
    }

    /// POSTs `body`, or GETs without one.
    private func send(_ body: Data?) async throws -> (Int, String) {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw WebhookError(service: service, configKey: configKey, reason: "the URL is not an http(s) URL")
        }
        var request = HTTPClientRequest(url: url)
        if let body {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        } else {
            request.method = .GET
        }
        do {
            let answer = try await HTTPTransport.exchange(request, timeout: timeout, maxBytes: 64 * 1024, client: httpClient)
            return (answer.status, String(buffer: answer.body).prefix(200).description)
        } catch where HTTPTransport.isTimeout(error) {
            throw WebhookError(service: service, configKey: configKey, reason: "it did not answer within \(timeout.wholeSecondsText)", retryable: true)
        } catch is HTTPTransport.TooLarge {
            throw WebhookError(service: service, configKey: configKey, reason: "its answer was larger than 64 KiB", retryable: true)
        } catch {
            // Transport errors can carry the address; keep only their kind.
            throw WebhookError(service: service, configKey: configKey, reason: HTTPTransport.failureReason(error), retryable: true)
        }
    }
}

/// A webhook delivery that failed; never contains the webhook URL.
public struct WebhookError: RetryableError, Sendable, CustomStringConvertible {
    let service: String
    let configKey: String
    let status: Int?
    let answer: String?
    let reason: String?
    /// Whether the same delivery may succeed later.
    public let isRetryable: Bool

    init(service: String, configKey: String, status: Int, answer: String) {
        self.service = service
        self.configKey = configKey
        self.status = status
        self.answer = answer
        self.reason = nil
        self.isRetryable = status == 429 || status >= 500
    }

    init(service: String, configKey: String, reason: String, retryable: Bool = false) {
        self.service = service
        self.configKey = configKey
        self.status = nil
        self.answer = nil
        self.reason = reason
        self.isRetryable = retryable
    }

    public var description: String {
        if let status {
            let said = answer.map { $0.isEmpty ? "" : " (\($0))" } ?? ""
            let hint = status == 404 || status == 403 || status == 410
                ? "check \(configKey): the webhook may have been removed" : "check \(configKey) and try again later"
            return "\(service) refused the alert with HTTP \(status)\(said); \(hint)"
        }
        return "\(service) could not be reached: \(reason ?? "unknown"); check \(configKey) and the network"
    }
}
