package web

import (
	"sync"
	"time"
)

// navCountsTTL is how long the navigation's worklist counts of a user are
// reused. The counts are two indexed COUNTs, but every caseworker page shows
// them; within this interval a colleague's pick-up may not show yet.
const navCountsTTL = 15 * time.Second

// navCounts caches the navigation's counts per user for navCountsTTL.
// The rule that keeps the user's own actions visible at once: a page that
// shows a flash (the page after a pick-up, release, completion, assignment
// or any other action, which all answer with one) counts anew.
type navCounts struct {
	mu     sync.Mutex
	byUser map[int64]navCountsEntry
}

type navCountsEntry struct {
	mine, team int
	at         time.Time
}

// get returns the user's counts when they are younger than the TTL at now.
func (c *navCounts) get(userID int64, now time.Time) (mine, team int, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byUser[userID]
	if !ok || now.Sub(e.at) >= navCountsTTL || now.Before(e.at) {
		return 0, 0, false
	}
	return e.mine, e.team, true
}

// put keeps the user's counts as of now; entries past the TTL are dropped
// so the map holds only the users active in the last interval.
func (c *navCounts) put(userID int64, mine, team int, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byUser == nil {
		c.byUser = map[int64]navCountsEntry{}
	}
	for id, e := range c.byUser {
		if now.Sub(e.at) >= navCountsTTL {
			delete(c.byUser, id)
		}
	}
	c.byUser[userID] = navCountsEntry{mine: mine, team: team, at: now}
}
