package httpstatus

import (
	"net/http"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

func TestOf(t *testing.T) {
	for code, want := range map[casework.Code]int{
		casework.CodeInvalid:      http.StatusUnprocessableEntity,
		casework.CodeNotFound:     http.StatusNotFound,
		casework.CodeConflict:     http.StatusConflict,
		casework.CodeForbidden:    http.StatusForbidden,
		casework.CodeUnauthorized: http.StatusUnauthorized,
		casework.CodeTooMany:      http.StatusTooManyRequests,
		casework.CodeOverloaded:   http.StatusServiceUnavailable,
		casework.CodeInternal:     http.StatusInternalServerError,
		"onbekend":                http.StatusInternalServerError,
	} {
		if got := Of(code); got != want {
			t.Errorf("Of(%s) = %d, want %d", code, got, want)
		}
	}
}
