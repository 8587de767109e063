import BillingCore

/// Server-rendered pages: text is escaped once, here, and everything a page needs (styles, charts) is
/// in the page itself, so it works with no network and saves as one file.
enum HTML {
    /// `text` safe inside an element or a quoted attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// The key page's address.
    static func keyLink(_ key: CostKey, date: CalendarDay? = nil) -> String {
        var items = [("domain", key.domainId), ("project", key.projectId), ("service", key.serviceId)]
        if let date { items.append(("date", date.compact)) }
        return "/key?" + query(items)
    }

    /// `name=value&...` with each part percent-encoded, for links.
    static func query(_ items: [(String, String)]) -> String {
        items.map { "\(percent($0))=\(percent($1))" }.joined(separator: "&")
    }

    static func percent(_ text: String) -> String {
        let allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"
        return text.utf8.map { byte in
            allowed.utf8.contains(byte) ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }.joined()
    }

    enum Section: String, CaseIterable {
        case overview = "Overview"
        case anomalies = "Anomalies"
        case operations = "Operations"

        var path: String {
            switch self {
            case .overview: "/"
            case .anomalies: "/anomalies"
            case .operations: "/operations"
            }
        }
    }

    /// A whole page: the navigation (none for a file that stands alone), `title`, and `body` (already HTML).
    static func page(title: String, section: Section?, body: String, standalone: Bool = false) -> String {
        let nav = standalone ? "" : Section.allCases.map { item in
            "<a href=\"\(item.path)\"\(item == section ? " aria-current=\"page\"" : "")>\(item.rawValue)</a>"
        }.joined()
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="data:,">
            <title>\(escape(title)) · billing-alert</title>
            <style>\(style)</style>
            </head>
            <body>
            <header><span class="brand">billing-alert</span><nav>\(nav)</nav></header>
            <main>
            <h1>\(escape(title))</h1>
            \(body)
            </main>
            </body>
            </html>

            """
    }

    /// An amount with thousands separators and two decimals, from the exact value.
    static func amount(_ value: ExactDecimal) -> String {
        escape(AmountText.grouped(value, places: 2))
    }

    /// An amount from a statistic, with no decimals: a forecast or an expected cost.
    static func estimate(_ value: Double) -> String {
        escape(AmountText.grouped(value, digits: 0))
    }

    static func percentChange(_ change: Double) -> String {
        String(format: "%+.1f %%", change * 100)
    }

    static let style = """
        :root{--ink:#1d2330;--muted:#5d6677;--line:#dfe3ea;--bg:#f6f7f9;--card:#fff;--accent:#2457c5;--bad:#b3261e;--good:#1b7a3d}
        *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
        header{display:flex;flex-wrap:wrap;align-items:center;gap:4px 20px;padding:10px 20px;background:#16213a;color:#fff}
        header .brand{font-weight:600}header nav{display:flex;gap:14px;flex-wrap:wrap}
        header a{color:#c9d6f5;text-decoration:none}header a[aria-current]{color:#fff;border-bottom:2px solid #fff}
        main{max-width:1200px;margin:0 auto;padding:16px 20px 40px}h1{font-size:22px;margin:4px 0 14px}h2{font-size:17px;margin:26px 0 8px}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:12px}
        .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
        .card .label{color:var(--muted);font-size:13px}.card .value{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}
        .card .note{color:var(--muted);font-size:13px}.up{color:var(--bad)}.down{color:var(--good)}
        .panel{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px;overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:14px}th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        th{color:var(--muted);font-weight:600;white-space:nowrap}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        a{color:var(--accent)}.empty{color:var(--muted);padding:8px}
        .legend{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:13px;margin-top:6px}.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
        svg{display:block;width:100%;height:auto}svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
        form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin-bottom:10px}form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
        input,select,button{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:5px;background:#fff}button{background:var(--accent);color:#fff;border-color:var(--accent);cursor:pointer}
        .state{font-size:12px;padding:1px 6px;border-radius:10px;background:#eef1f6;white-space:nowrap}.state.open{background:#fde7e5;color:var(--bad)}td.when{white-space:nowrap}
        @media (max-width:640px){main{padding:12px}td,th{padding:5px 4px}.hide-narrow{display:none}}
        """

    static let palette = ["#2457c5", "#e07b24", "#2a9d8f", "#c23b6b", "#7b5cc4", "#8a9a2b", "#9aa3b2"]
}
