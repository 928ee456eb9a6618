// Package settings holds the settings of the adapters that reach outside
// the process — mail delivery (Mail) and the background worker (Worker) —
// as plain data with their defaults and validation. It imports only the
// standard library: internal/config embeds these types without pulling in
// SMTP or River, and internal/mailer and internal/worker accept them.
//
// Validation messages name each field as it appears in the configuration
// file (mail.host, worker.retry_base), so an administrator can act on them.
package settings
