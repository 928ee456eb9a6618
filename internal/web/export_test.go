package web

import "github.com/bar-organisatie/werkdiagnose/internal/process"

// RouteInfo is a line of the routes table, for TestRoutePermissions.
type RouteInfo struct {
	Pattern  string
	LoggedIn bool
	Act      process.Action
}

// RouteTable returns the routes table without its handlers.
func RouteTable() []RouteInfo {
	var out []RouteInfo
	for _, rt := range (&server{}).routes() {
		out = append(out, RouteInfo{Pattern: rt.pattern, LoggedIn: rt.access == loggedIn, Act: rt.act})
	}
	return out
}
