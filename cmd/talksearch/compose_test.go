package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// composeFile is the part of a docker-compose file the tests check.
type composeFile struct {
	Services map[string]struct {
		Profiles    []string          `yaml:"profiles"`
		NetworkMode string            `yaml:"network_mode"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		Command     []string          `yaml:"command"`
		Build       any               `yaml:"build"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

func readCompose(t *testing.T, name string) composeFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c
}

// envOf lists the environment variables of cmd's flags.
func envOf(cmd string) []string {
	c, _ := lookupCommand(cmd)
	var out []string
	newFlagSet(c, &Config{}, io.Discard).VisitAll(func(f *flag.Flag) {
		if hasEnv(f.Name) {
			out = append(out, envName(f.Name))
		}
	})
	return out
}

// TestComposeScaleOut checks that the services of docker-compose.scale.yml
// fit together (Docker itself is not run here): every replica serves
// --replica on loopback with host networking from a volume of its own,
// the indexer mounts each of those volumes where its publish command
// installs, nginx balances over exactly the replicas' addresses, the
// corpus is mounted read-only at the same path everywhere, and every
// TALKSEARCH_ variable is one the command reads.
func TestComposeScaleOut(t *testing.T) {
	base, scale := readCompose(t, "docker-compose.yml"), readCompose(t, "docker-compose.scale.yml")
	if _, ok := base.Services["talksearch"]; !ok || !slices.Contains(scale.Services["talksearch"].Profiles, "single") {
		t.Error("the single-server service is not moved to the profile single")
	}
	indexer, nginx := scale.Services["indexer"], scale.Services["nginx"]
	publish := strings.Join(indexer.Command, " ")
	var addrs []string
	for name, s := range scale.Services {
		if s.Environment["TALKSEARCH_REPLICA"] != "true" {
			continue
		}
		addr := s.Environment["TALKSEARCH_ADDR"]
		addrs = append(addrs, addr)
		if s.NetworkMode != "host" || !strings.HasPrefix(addr, "127.0.0.1:") || s.Environment["TALKSEARCH_DATA"] != "/data" {
			t.Errorf("%s: network %q, addr %q, data %q; want host networking on loopback with /data", name, s.NetworkMode, addr, s.Environment["TALKSEARCH_DATA"])
		}
		var vol string
		for _, v := range s.Volumes {
			if strings.HasSuffix(v, ":/data") {
				vol = strings.TrimSuffix(v, ":/data")
			}
		}
		if _, ok := scale.Volumes[vol]; !ok {
			t.Errorf("%s: data volume %q is not declared", name, vol)
		}
		mounted := ""
		for _, v := range indexer.Volumes {
			if strings.HasPrefix(v, vol+":") {
				mounted = strings.TrimPrefix(v, vol+":")
			}
		}
		if mounted == "" || !strings.Contains(publish+" ", " "+mounted+" ") {
			t.Errorf("%s: the indexer mounts its volume at %q, and publishes with %q", name, mounted, publish)
		}
		if !slices.ContainsFunc(s.Volumes, func(v string) bool { return strings.HasSuffix(v, ":/corpus:ro") }) {
			t.Errorf("%s: the corpus is not mounted read-only at /corpus: %v", name, s.Volumes)
		}
		for k := range s.Environment {
			if !slices.Contains(envOf("serve"), k) {
				t.Errorf("%s: serve reads no %s", name, k)
			}
		}
	}
	if len(addrs) < 2 {
		t.Fatalf("%d replicas in docker-compose.scale.yml", len(addrs))
	}
	slices.Sort(addrs)
	lb := slices.Clone(nginx.Command)
	slices.Sort(lb)
	if !slices.Equal(addrs, lb) || nginx.NetworkMode != "host" {
		t.Errorf("nginx balances over %v (network %q); the replicas listen on %v", nginx.Command, nginx.NetworkMode, addrs)
	}
	if !strings.HasPrefix(publish, "talksearch index && talksearch publish ") {
		t.Errorf("indexer command %q", publish)
	}
	for k := range indexer.Environment {
		if !slices.Contains(envOf("index"), k) {
			t.Errorf("indexer: index reads no %s", k)
		}
	}
	dockerfile, err := os.ReadFile(filepath.Join("..", "..", "deploy", "nginx", "Dockerfile"))
	if err != nil || !strings.Contains(string(dockerfile), "apt-get install -y --no-install-recommends nginx") {
		t.Errorf("deploy/nginx/Dockerfile does not install Debian's nginx: %v", err)
	}
}
