package casework

import "github.com/bar-organisatie/werkdiagnose/internal/process"

// ClientState is where a client stands, as the store reads it for search
// results: the steps of the open tasks and the status of the latest case.
type ClientState struct {
	OpenSteps  []OpenStep
	CaseStatus string
}

// OpenStep is the step of an open task and the definition that names it.
type OpenStep struct {
	Step              process.StepKey
	DefinitionVersion string
}
