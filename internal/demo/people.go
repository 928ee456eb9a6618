// Package demo builds invented users and clients and walks them through the
// pilot with valid input, for the demo command and for tests. Every person
// is invented; BSNs are random numbers that pass the 11-proef.
package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Person is an invented client: the details an application gives.
type Person struct {
	casework.Client
}

var (
	givenNames  = []string{"Anna", "Mohamed", "Sophie", "Johan", "Ayşe", "Kees", "Fenna", "Rachid", "Ingrid", "Dewi", "Bram", "Yara", "Henk", "Priya", "Marloes", "Tomasz", "Esther", "Jeroen", "Samira", "Willem"}
	familyNames = []string{"de Boer", "Kaya", "van den Berg", "Hoekstra", "Bouzid", "Verhoeven", "Nieuwenhuis", "Öztürk", "Brouwer", "Kramer", "van Dam", "Lambrechts", "Postma", "Wijnands", "Koster", "Nowak", "de Ruiter", "Pranoto", "Blom", "Zwart"}
	streets     = []string{"Lindelaan", "Kastanjehof", "Molenweg", "Havenkade", "Dijkstraat", "Beukenrode", "Sluisweg"}
)

// NewPerson invents a client of the given age on the given date; n makes
// the name and numbers differ per call with the same source.
func NewPerson(r *rand.Rand, n int, age int, on time.Time) Person {
	g := givenNames[n%len(givenNames)]
	f := familyNames[(n*7+n/len(givenNames)*3+3)%len(familyNames)]
	birth := process.AddDays(on, -(age*365 + age/4 + 10 + r.IntN(300)))
	local := strings.ToLower(strings.NewReplacer(" ", "", "ş", "s", "ö", "o", "Ö", "o").Replace(g + "." + f))
	return Person{casework.Client{
		BSN: NewBSN(r), GivenName: g, FamilyName: f, BirthDate: birth,
		Email:   fmt.Sprintf("%s%d@example.org", local, n),
		Phone:   fmt.Sprintf("06-%08d", r.IntN(100000000)),
		Address: fmt.Sprintf("%s %d, Voorbeeldstad", streets[n%len(streets)], 1+r.IntN(120)),
	}}
}

// NewBSN returns a random nine-digit number that passes the 11-proef and is
// not all zeros. It is invented: a format-valid number, not a person's.
func NewBSN(r *rand.Rand) string {
	for {
		d := make([]int, 9)
		sum := 0
		for i := 0; i < 8; i++ {
			d[i] = r.IntN(10)
			sum += (9 - i) * d[i]
		}
		d[8] = sum % 11
		if d[8] == 10 || d[0] == 0 {
			continue
		}
		var b strings.Builder
		for _, x := range d {
			b.WriteByte(byte('0' + x))
		}
		return b.String()
	}
}

// Values returns the person as the fields of an application form.
func (p Person) Values() casework.Values { return casework.ApplicationValues(p.Client) }
