package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// defaultInstance is the instance a command uses without --instance.
const defaultInstance = "Tentacle"

// instance is one file of the instance index (ApplicationInstanceStore.cs).
type instance struct {
	Name                  string `json:"Name"`
	ConfigurationFilePath string `json:"ConfigurationFilePath"`
}

func instancesDir(home string) string { return filepath.Join(home, "Tentacle", "Instances") }

// instanceFile is the index file of a name: lower case, spaces to dashes.
func instanceFile(home, name string) string {
	return filepath.Join(instancesDir(home), strings.ToLower(strings.ReplaceAll(name, " ", "-"))+".config")
}

// listInstances reads the index, ordered by name.
func listInstances(home string) ([]instance, error) {
	entries, err := os.ReadDir(instancesDir(home))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []instance
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(instancesDir(home), e.Name()))
		if err != nil {
			return nil, err
		}
		var in instance
		if err := json.Unmarshal(data, &in); err != nil {
			return nil, failf(exitException, "Could not load instance at path %s: %v", e.Name(), err)
		}
		out = append(out, in)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func registerInstance(home string, in instance) error {
	if err := os.MkdirAll(instancesDir(home), 0o755); err != nil {
		return err
	}
	data, err := marshalJSON(in, "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(instanceFile(home, in.Name), []byte(data), 0o644)
}

func available(list []instance) string {
	names := make([]string, len(list))
	for i, in := range list {
		names[i] = in.Name
	}
	return strings.Join(names, ", ")
}

// findInstance matches a name ignoring case, preferring an exact match
// when several differ only in case.
func findInstance(home, name string) (instance, error) {
	list, err := listInstances(home)
	if err != nil {
		return instance{}, err
	}
	var matches []instance
	for _, in := range list {
		if strings.EqualFold(in.Name, name) {
			matches = append(matches, in)
		}
	}
	switch {
	case len(matches) == 1:
		return matches[0], nil
	case len(matches) == 0:
		return instance{}, failf(exitFailure, "Instance %s of Tentacle has not been configured on this machine. Available instances: %s.", name, available(list))
	}
	for _, in := range matches {
		if in.Name == name {
			return in, nil
		}
	}
	return instance{}, failf(exitFailure, "Instance %s of Tentacle could not be matched to one of the existing instances: %s.", name, available(list))
}

// currentInstance is the instance a command without --instance uses: the
// one named Tentacle, else the only one.
func currentInstance(home string) (instance, error) {
	list, err := listInstances(home)
	if err != nil {
		return instance{}, err
	}
	for _, in := range list {
		if in.Name == defaultInstance {
			return in, nil
		}
	}
	switch len(list) {
	case 0:
		return instance{}, failf(exitFailure, "Unable to find default instance of Tentacle. Available instances: .")
	case 1:
		return list[0], nil
	}
	return instance{}, failf(exitFailure, "There is more than one instance of Tentacle configured on this machine. Please pass --instance=INSTANCENAME when invoking this command to target a specific instance. Available instances: %s.", available(list))
}

// configPath is the config file a standard command works on: --instance,
// else --config, else the current instance.
func (inv *invocation) configPath() (string, error) {
	switch {
	case inv.opts.has("instance"):
		in, err := findInstance(inv.home, inv.opts.value("instance"))
		return in.ConfigurationFilePath, err
	case inv.opts.has("config"):
		return filepath.Abs(inv.opts.value("config"))
	}
	in, err := currentInstance(inv.home)
	return in.ConfigurationFilePath, err
}

// loadConfig loads the settings of the instance the command works on.
func (inv *invocation) loadConfig() (*settings, error) {
	path, err := inv.configPath()
	if err != nil {
		return nil, err
	}
	return loadSettings(path)
}
