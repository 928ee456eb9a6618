package settings

import (
	"fmt"
	"strings"
	"time"
)

// Database bounds the database connections of one instance. Durations are
// Go durations ("2s", "200ms").
type Database struct {
	// MaxConns is the most connections per pool: on PostgreSQL the one
	// pool of the instance (at least 2; keep instances × max_conns below
	// the server's max_connections), on SQLite the readers (it writes on
	// one connection).
	MaxConns int `json:"max_conns"`
	// AcquireTimeout is the longest a request waits for a connection;
	// after it, it is answered 503 with Retry-After.
	AcquireTimeout string `json:"acquire_timeout"`
	// SlowQuery logs every statement that takes at least this long, with
	// the store method that ran it (never its text); "0" logs none.
	SlowQuery string `json:"slow_query"`
}

// Defaults of Database.
const (
	DefaultMaxConns       = 16
	DefaultAcquireTimeout = 2 * time.Second
	DefaultSlowQuery      = 200 * time.Millisecond
)

// DefaultDatabase returns the defaults.
func DefaultDatabase() Database {
	return Database{MaxConns: DefaultMaxConns, AcquireTimeout: DefaultAcquireTimeout.String(),
		SlowQuery: DefaultSlowQuery.String()}
}

// WithDefaults returns c with the defaults of unset fields filled in.
func (c Database) WithDefaults() Database {
	d := DefaultDatabase()
	if c.MaxConns == 0 {
		c.MaxConns = d.MaxConns
	}
	if strings.TrimSpace(c.AcquireTimeout) == "" {
		c.AcquireTimeout = d.AcquireTimeout
	}
	if strings.TrimSpace(c.SlowQuery) == "" {
		c.SlowQuery = d.SlowQuery
	}
	return c
}

// DatabaseDurations are the parsed durations of a Database.
type DatabaseDurations struct {
	AcquireTimeout, SlowQuery time.Duration
}

// Durations parses the durations of c with its defaults filled in.
func (c Database) Durations() (DatabaseDurations, error) {
	c = c.WithDefaults()
	var d DatabaseDurations
	var err error
	if d.AcquireTimeout, err = time.ParseDuration(strings.TrimSpace(c.AcquireTimeout)); err != nil || d.AcquireTimeout <= 0 {
		return d, fmt.Errorf("database_pool.acquire_timeout %q: want a positive Go duration such as \"2s\"", c.AcquireTimeout)
	}
	if d.SlowQuery, err = time.ParseDuration(strings.TrimSpace(c.SlowQuery)); err != nil || d.SlowQuery < 0 {
		return d, fmt.Errorf("database_pool.slow_query %q: want a Go duration such as \"200ms\" (0: log none)", c.SlowQuery)
	}
	return d, nil
}

// Validate reports the first problem in words an administrator can act on.
func (c Database) Validate() error {
	if c.WithDefaults().MaxConns < 2 {
		return fmt.Errorf("database_pool.max_conns %d: want at least 2 (migrations hold one connection while they run on another)", c.MaxConns)
	}
	_, err := c.Durations()
	return err
}
