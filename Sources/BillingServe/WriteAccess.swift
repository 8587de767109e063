import Foundation
import HTTPTypes
import Hummingbird

/// Who may change anything through `serve`'s pages (a verdict, a silence), and how a form proves it
/// came from those pages.
///
/// Every form carries this process's random form key, which another site cannot read, and a request
/// a browser marks as cross-site is refused outright. Bound to an address other than loopback, every
/// write also needs the configured token; `serve.readOnly` turns writes off.
struct WriteAccess: Sendable {
    enum Mode: Sendable {
        case open
        case needsToken(String)
        case off(String)
    }

    let mode: Mode
    /// Random per process: a form that carries it was served by this process.
    let formKey: String

    init(host: String, token: String?, readOnly: Bool) {
        if readOnly {
            mode = .off("writes are off here (serve.readOnly: true)")
        } else if Self.isLoopback(host) {
            mode = .open
        } else if let token {
            mode = .needsToken(token)
        } else {
            mode = .off("serve listens on \(host), not loopback, so writes need a token: set serve.token or BILLING_ALERT_SERVE_TOKEN")
        }
        formKey = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    var allowsWrites: Bool {
        if case .off = mode { return false }
        return true
    }

    var needsToken: Bool {
        if case .needsToken = mode { return true }
        return false
    }

    /// The hidden fields (and the token field, where one is needed) every form carries.
    var formFields: String {
        "<input type=\"hidden\" name=\"form_key\" value=\"\(formKey)\">"
            + (needsToken ? "<label>token<input type=\"password\" name=\"token\" autocomplete=\"current-password\" required></label>" : "")
    }

    /// Why `request` with `fields` may not write, or nil when it may.
    func refusal(_ request: Request, fields: [String: String]) -> String? {
        if case .off(let reason) = mode { return reason }
        if request.headers[HTTPField.Name("Sec-Fetch-Site")!] == "cross-site" {
            return "a form from another site cannot change anything here"
        }
        guard Self.same(fields["form_key"] ?? "", formKey) else {
            return "the form is not one this server gave out (or the server restarted since): reload the page and try again"
        }
        if case .needsToken(let token) = mode, !Self.same(fields["token"] ?? "", token) {
            return "the token is missing or wrong: give serve.token (or BILLING_ALERT_SERVE_TOKEN)"
        }
        return nil
    }

    /// Compares in time that does not depend on where the texts differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The fields of an `application/x-www-form-urlencoded` body of at most 64 KiB.
    static func fields(of request: Request) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: 64 << 10)
        var fields: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decoded(parts[0])] = parts.count > 1 ? decoded(parts[1]) : ""
        }
        return fields
    }
}
