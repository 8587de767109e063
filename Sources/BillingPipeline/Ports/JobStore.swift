/// Everything a job needs of a store: its data, its ledger of finished days, and its locks.
public typealias JobStore = BillingStore & JobLedger & JobLocking & IntradayLog & DeliveryLog & FeedbackLog & HistoryLog
