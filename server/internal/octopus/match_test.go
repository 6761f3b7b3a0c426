package octopus

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFindByNameIdOrSlugs(t *testing.T) {
	envs := []Resource{
		{Id: "Environments-1", Name: "Production", Slug: "production"},
		{Id: "Environments-2", Name: "Pre Production", Slug: "pre-production"},
		{Id: "Environments-3", Name: "pre-production", Slug: "pre-production-eu"},
		{Id: "Environments-4", Name: "Staging ", Slug: "staging"},
	}
	tests := []struct {
		name        string
		given       []string
		wantFound   []Match
		wantMissing []string
	}{
		{"name", []string{"Production"}, []Match{{"Production", envs[0], "name"}}, nil},
		{"name ignores case", []string{"PRODUCTION"}, []Match{{"PRODUCTION", envs[0], "name"}}, nil},
		{"trimmed name on the server", []string{"staging"}, []Match{{"staging", envs[3], "name"}}, nil},
		{"slug", []string{"pre-production-eu"}, []Match{{"pre-production-eu", envs[2], "slug"}}, nil},
		{"a name beats another's slug", []string{"pre-production"}, []Match{{"pre-production", envs[2], "name"}}, nil},
		{"id ignores case", []string{"environments-2"}, []Match{{"environments-2", envs[1], "Id"}}, nil},
		{"missing kept in order", []string{"Prod", "Production", "Environments-9"}, []Match{{"Production", envs[0], "name"}}, []string{"Prod", "Environments-9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found, missing := FindByNameIdOrSlugs(envs, tt.given)
			if diff := cmp.Diff(tt.wantFound, found); diff != "" {
				t.Errorf("FindByNameIdOrSlugs(%q) found (-want +got):\n%s", tt.given, diff)
			}
			if diff := cmp.Diff(tt.wantMissing, missing); diff != "" {
				t.Errorf("FindByNameIdOrSlugs(%q) missing (-want +got):\n%s", tt.given, diff)
			}
		})
	}
}

func TestFindSpaceByNameOnly(t *testing.T) {
	spaces := []Space{{Id: "Spaces-1", Name: "Default", Slug: "default", IsDefault: true}, {Id: "Spaces-2", Name: "Platform Team ", Slug: "platform-team"}}
	tests := []struct {
		name, given, wantID string
		wantOK              bool
	}{
		{"empty is the default space", "", "Spaces-1", true},
		{"name ignores case", "platform team", "Spaces-2", true},
		{"server's name trimmed", "Platform Team", "Spaces-2", true},
		{"slug does not match", "platform-team", "", false},
		{"id does not match", "Spaces-2", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FindSpace(spaces, tt.given)
			if got.Id != tt.wantID || ok != tt.wantOK {
				t.Errorf("FindSpace(%q) = %q, %v; want %q, %v", tt.given, got.Id, ok, tt.wantID, tt.wantOK)
			}
		})
	}
}
