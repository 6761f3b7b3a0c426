package bundle

import (
	"fmt"
	"io"
	"strings"
)

// WriteChangePlaybook writes change/ansible/playbook.yml: the update
// scripts run on polling Tentacles reached over SSH (group
// tentacles_linux) and WinRM (group tentacles_windows), one host first and
// then in batches, stopping at the first failure.
func WriteChangePlaybook(w io.Writer, c Change) error {
	y := &yamlWriter{}
	y.comment(changeProvenance(c))
	y.line(0, "#")
	y.comment("Runs change/update-tentacle.sh (group tentacles_linux, over SSH, with become)")
	y.comment("and change/update-tentacle.ps1 (group tentacles_windows, over WinRM) on every")
	y.comment("polling Tentacle of the inventory: one host first, then tentacle_batch hosts at")
	y.comment("a time (default 10), stopping at the first failure. Each host's result is the")
	y.comment("script's JSON line; the Tentacle restarts itself shortly after (detached).")
	y.comment("Needs Tentacle " + UpdateTentacleMinVersion + " or later and no API key.")
	y.line(0, "#")
	y.comment("  ansible-playbook -i inventory.ini playbook.yml")
	y.line(0, "#")
	y.comment("Host variables: tentacle_instance (the Tentacle instance; empty means Tentacle,")
	y.comment("or the only instance there is), tentacle_restart (auto, always, never).")
	y.line(0, "- name: Update Linux polling Tentacles to the new node list")
	changePlay(y, "tentacles_linux", "update-tentacle.sh", true)
	y.line(0, "")
	y.line(0, "- name: Update Windows polling Tentacles to the new node list")
	changePlay(y, "tentacles_windows", "update-tentacle.ps1", false)
	_, err := io.WriteString(w, y.String())
	return err
}

func changePlay(y *yamlWriter, group, script string, linux bool) {
	y.line(1, "hosts: "+group)
	y.line(1, "gather_facts: false")
	if linux {
		y.line(1, `become: "{{ tentacle_become | default(true) }}"`)
	}
	y.line(1, `serial: [1, "{{ tentacle_batch | default(10) }}"]`)
	y.line(1, "max_fail_percentage: 0")
	y.line(1, "tasks:")
	y.line(2, "- name: Run "+script)
	y.line(3, `ansible.builtin.script: "{{ playbook_dir }}/../`+script+`"`)
	y.line(3, "environment:")
	y.line(4, `TENTACLE_INSTANCE: "{{ tentacle_instance | default('') }}"`)
	y.line(4, `TENTACLE_RESTART: "{{ tentacle_restart | default('auto') }}"`)
	y.line(3, "register: update")
	y.line(3, `changed_when: update.stdout is search('"restart":"(scheduled|skipped)"')`)
	y.line(2, "- name: Result")
	y.line(3, "ansible.builtin.debug:")
	y.line(4, `msg: "{{ update.stdout_lines | last }}"`)
}

// WriteChangeInventory writes change/ansible/inventory.example.ini: the
// groups the playbook reads, with example hosts.
func WriteChangeInventory(w io.Writer, c Change) error {
	var b strings.Builder
	fmt.Fprintf(&b, `# %s
#
# An example inventory for playbook.yml: copy it to inventory.ini and list
# your polling Tentacles. tentacle_instance names the Tentacle instance
# where it is not Tentacle (or the only one).

[tentacles_linux]
web01.example.com
web02.example.com tentacle_instance=Web

[tentacles_linux:vars]
ansible_user=deploy

[tentacles_windows]
win01.example.com

[tentacles_windows:vars]
ansible_connection=winrm
ansible_port=5986
ansible_winrm_transport=ntlm
ansible_winrm_server_cert_validation=validate
`, ConfComment(changeProvenance(c)))
	_, err := io.WriteString(w, b.String())
	return err
}
