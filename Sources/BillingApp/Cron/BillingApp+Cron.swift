import Foundation

extension BillingApp {
    /// The entries `cron add` installs: hourly at the configured minute, daily at the configured time, both
    /// converted from the configured time zone to the machine's, output appended to the log folder.
    public func cronEntries(binary: String, configPath: String?, workingDirectory: String, now: Date) -> [CronTable.Entry] {
        let offset = (configuration.timeZone.secondsFromGMT(for: now) - TimeZone.current.secondsFromGMT(for: now)) / 60
        let schedule = configuration.schedule
        let logs = schedule.logDirectory.hasPrefix("/") ? schedule.logDirectory : workingDirectory + "/" + schedule.logDirectory
        func command(_ job: String) -> String {
            let config = configPath.map { " --config \(Self.quoted($0))" } ?? ""
            return "cd \(Self.quoted(workingDirectory)) && \(Self.quoted(binary)) \(job)\(config) >> \(Self.quoted(logs + "/\(job).log")) 2>&1"
        }
        let hourly = CronTable.localTime(hour: nil, minute: schedule.hourlyMinute, offsetMinutes: offset)
        let daily = CronTable.localTime(hour: schedule.dailyHour, minute: schedule.dailyMinute, offsetMinutes: offset)
        return [
            CronTable.Entry(job: "hourly", minute: hourly.minute, hour: nil, command: command("hourly")),
            CronTable.Entry(job: "daily", minute: daily.minute, hour: daily.hour, command: command("daily")),
        ]
    }

    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
