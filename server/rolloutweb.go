package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
	"github.com/tentacle-ha-wizard/wizard/server/internal/rollout"
	"github.com/tentacle-ha-wizard/wizard/web/app"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// webRollout is the wizard's "Roll out through Octopus": the run of
// `server rollout -change DIR`, with the change pack the wizard made
// written to dir/<digest>/ first, so its state file (rollout.json beside
// it) lets a run again resume, as the command's does.
func webRollout(dir string) app.Rollout {
	return func(ctx context.Context, req app.RolloutRequest, key string, emit func(report.RolloutEvent)) (app.RolloutResult, error) {
		secret := report.Secret(key)
		emit = secret.RolloutEmitter(emit)
		var res app.RolloutResult
		packDir, err := writePack(dir, req.Pack)
		if err != nil {
			return res, err
		}
		res.StatePath = filepath.Join(packDir, "rollout.json")
		sel, err := rollout.ParseSelection(req.Select)
		if err != nil {
			return res, err
		}
		batch, err := rollout.ParseSize("-batch", req.Batch)
		if err != nil {
			return res, err
		}
		allowed, err := rollout.ParseSize("-max-failures", req.MaxFailures)
		if err != nil {
			return res, err
		}
		pack, err := rollout.LoadPack(packDir)
		if err == nil {
			err = pack.CheckScripts(key)
		}
		if err != nil {
			return res, err
		}
		client, err := octopus.New(pack.ServerURL, key, nil)
		if err != nil {
			return res, fmt.Errorf("rollout: the plan's server.url: %w", err)
		}
		space := req.Space
		if space == "" {
			space = pack.Space
		}
		found, err := findSpace(ctx, client, space)
		if err != nil {
			return res, secret.Error(err)
		}
		sum, err := rollout.Run(ctx, rollout.Options{
			Client: client, Pack: pack, SpaceID: found.Id, Selection: sel, Batch: batch, MaxFailures: allowed,
			DryRun: req.DryRun, StatePath: res.StatePath,
		}, emit)
		res.Complete = sum.Complete()
		return res, secret.Error(err)
	}
}

// writePack writes a change pack into its own folder under dir, named
// after its checksums, and returns the folder.
func writePack(dir string, files []bundle.File) (string, error) {
	sum := sha256.New()
	for _, f := range files {
		if f.Path == "SHA256SUMS" {
			sum.Write(f.Content)
		}
	}
	packDir := filepath.Join(dir, "change-"+hex.EncodeToString(sum.Sum(nil))[:16])
	if err := writeBundle(packDir, "", files); err != nil {
		return "", fmt.Errorf("rollout: write the change pack: %w", err)
	}
	return packDir, nil
}

// rolloutDir is where the wizard keeps the change packs it rolls out and
// their state files: $XDG_STATE_HOME/tentacle-ha-wizard/rollouts, else
// ~/.local/state/tentacle-ha-wizard/rollouts.
func rolloutDir(getenv func(string) string) string {
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "tentacle-ha-wizard", "rollouts")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "tentacle-ha-wizard", "rollouts")
	}
	return filepath.Join(os.TempDir(), "tentacle-ha-wizard-rollouts")
}
