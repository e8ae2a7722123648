# Tests for heimdall.authz: `opa test ./opa/ -v`.
package heimdall.authz_test

import data.heimdall.authz

tenants := {"acme": {"name": "Acme"}, "globex": {"name": "Globex"}, "initech": {"name": "Initech"}}

allow(name, subjects, actions, scope_tenants, filters) := {
	"name": name, "effect": "allow", "subjects": subjects, "actions": actions,
	"scope": {"tenants": scope_tenants, "resources": ["metrics"]}, "filters": filters,
}

deny(name, subjects, actions, scope_tenants) := {
	"name": name, "effect": "deny", "subjects": subjects, "actions": actions,
	"scope": {"tenants": scope_tenants, "resources": ["metrics"]}, "filters": [],
}

user(id) := {"type": "user", "id": id}

group(id) := {"type": "group", "id": id}

request(u, groups, ts, action) := {
	"subject": {"user": u, "groups": groups}, "tenants": ts, "action": action, "resource": "metrics",
}

decide(policies, inp) := d if {
	d := authz.decision with data.heimdall.tenants as tenants with data.heimdall.policies as policies with input as inp
}

test_allow_without_filters_is_unrestricted if {
	d := decide([allow("a", [user("alice")], ["read"], ["acme"], [])], request("alice", [], ["acme"], "read"))
	d == {"acme": {"allow": true, "filters": [[]]}}
}

test_allow_with_filters_returns_them_sorted if {
	d := decide(
		[allow("a", [user("alice")], ["read"], ["acme"], ["team=~\"a|b\"", "env=\"prod\""])],
		request("alice", [], ["acme"], "read"),
	)
	d.acme == {"allow": true, "filters": [["env=\"prod\"", "team=~\"a|b\""]]}
}

test_no_policy_denies if {
	d := decide([], request("alice", [], ["acme"], "read"))
	d == {"acme": {"allow": false, "filters": []}}
}

test_other_user_is_denied if {
	d := decide([allow("a", [user("alice")], ["read"], ["acme"], [])], request("bob", [], ["acme"], "read"))
	d.acme.allow == false
}

test_other_action_is_denied if {
	d := decide([allow("a", [user("alice")], ["read"], ["acme"], [])], request("alice", [], ["acme"], "write"))
	d.acme.allow == false
}

test_other_tenant_is_denied if {
	d := decide([allow("a", [user("alice")], ["read"], ["acme"], [])], request("alice", [], ["globex"], "read"))
	d.globex == {"allow": false, "filters": []}
}

test_other_resource_is_denied if {
	inp := object.union(request("alice", [], ["acme"], "read"), {"resource": "logs"})
	d := decide([allow("a", [user("alice")], ["read"], ["acme"], [])], inp)
	d.acme.allow == false
}

test_deny_overrides_allow if {
	d := decide(
		[
			allow("a", [user("alice")], ["read"], ["acme"], []),
			deny("d", [group("contractors")], ["*"], ["acme"]),
		],
		request("alice", ["contractors"], ["acme", "globex"], "read"),
	)
	d.acme == {"allow": false, "filters": []}
	d.globex.allow == false
}

test_deny_for_other_tenant_does_not_apply if {
	d := decide(
		[
			allow("a", [user("alice")], ["read"], ["*"], []),
			deny("d", [user("alice")], ["read"], ["globex"]),
		],
		request("alice", [], ["acme", "globex"], "read"),
	)
	d.acme == {"allow": true, "filters": [[]]}
	d.globex == {"allow": false, "filters": []}
}

test_deny_wildcard_tenant_overrides_everything if {
	d := decide(
		[
			allow("a", [user("alice")], ["read"], ["acme"], []),
			deny("d", [user("*")], ["read"], ["*"]),
		],
		request("alice", [], ["acme"], "read"),
	)
	d.acme.allow == false
}

test_wildcard_tenant_action_resource if {
	p := {
		"name": "all", "effect": "allow", "subjects": [user("root")], "actions": ["*"],
		"scope": {"tenants": ["*"], "resources": ["*"]}, "filters": [],
	}
	d := decide([p], object.union(request("root", [], ["acme", "globex"], "rules:write"), {"resource": "anything"}))
	d == {"acme": {"allow": true, "filters": [[]]}, "globex": {"allow": true, "filters": [[]]}}
}

test_wildcard_user_matches_anyone if {
	d := decide([allow("a", [user("*")], ["read"], ["acme"], ["env=\"prod\""])], request("zed", [], ["acme"], "read"))
	d.acme == {"allow": true, "filters": [["env=\"prod\""]]}
}

test_wildcard_group_needs_some_group if {
	policies := [allow("a", [group("*")], ["read"], ["acme"], [])]
	d1 := decide(policies, request("zed", ["any"], ["acme"], "read"))
	d1.acme.allow == true
	d2 := decide(policies, request("zed", [], ["acme"], "read"))
	d2.acme.allow == false
}

test_group_membership_grants if {
	policies := [allow("sre", [group("sre")], ["read", "write"], ["acme"], ["team=\"sre\""])]
	d3 := decide(policies, request("bob", ["dev", "sre"], ["acme"], "write"))
	d3.acme == {"allow": true, "filters": [["team=\"sre\""]]}
	d4 := decide(policies, request("bob", ["dev"], ["acme"], "write"))
	d4.acme.allow == false
}

test_user_id_does_not_match_group_subject if {
	policies := [allow("sre", [group("sre")], ["read"], ["acme"], [])]
	d5 := decide(policies, request("sre", [], ["acme"], "read"))
	d5.acme.allow == false
}

test_filters_of_several_allows_are_ored_in_dnf if {
	d := decide(
		[
			allow("b", [group("dev")], ["read"], ["acme"], ["env=\"dev\""]),
			allow("a", [user("alice")], ["read"], ["acme"], ["team=\"a\"", "env=\"prod\""]),
		],
		request("alice", ["dev"], ["acme"], "read"),
	)
	d.acme == {"allow": true, "filters": [["env=\"dev\""], ["env=\"prod\"", "team=\"a\""]]}
}

test_duplicate_alternatives_and_matchers_are_removed if {
	d := decide(
		[
			allow("a", [user("alice")], ["read"], ["acme"], ["env=\"prod\"", "env=\"prod\""]),
			allow("b", [group("sre")], ["read"], ["*"], ["env=\"prod\""]),
		],
		request("alice", ["sre"], ["acme"], "read"),
	)
	d.acme.filters == [["env=\"prod\""]]
}

test_prefix_alternative_sorts_first if {
	d := decide(
		[
			allow("a", [user("alice")], ["read"], ["acme"], ["a=\"1\"", "b=\"2\""]),
			allow("b", [user("alice")], ["read"], ["acme"], ["a=\"1\""]),
		],
		request("alice", [], ["acme"], "read"),
	)
	d.acme.filters == [["a=\"1\""], ["a=\"1\"", "b=\"2\""]]
}

test_unrestricted_allow_absorbs_filters if {
	d := decide(
		[
			allow("a", [user("alice")], ["read"], ["acme"], ["env=\"prod\""]),
			allow("b", [group("admins")], ["*"], ["*"], []),
		],
		request("alice", ["admins"], ["acme"], "read"),
	)
	d.acme == {"allow": true, "filters": [[]]}
}

test_unknown_tenant_is_denied_even_with_wildcards if {
	p := {
		"name": "all", "effect": "allow", "subjects": [user("*")], "actions": ["*"],
		"scope": {"tenants": ["*"], "resources": ["*"]}, "filters": [],
	}
	d := decide([p], request("alice", [], ["acme", "nosuch"], "read"))
	d == {"acme": {"allow": true, "filters": [[]]}, "nosuch": {"allow": false, "filters": []}}
}

test_unknown_tenant_named_in_policy_is_denied if {
	d := decide([allow("a", [user("alice")], ["read"], ["nosuch"], [])], request("alice", [], ["nosuch"], "read"))
	d.nosuch.allow == false
}

test_every_tenant_is_decided if {
	d := decide([allow("a", [user("alice")], ["read"], ["acme"], [])], request("alice", [], ["acme", "globex", "initech"], "read"))
	count(d) == 3
	d.globex.allow == false
	d.initech.allow == false
}

test_no_tenants_gives_empty_decision if {
	d := decide([allow("a", [user("alice")], ["read"], ["*"], [])], request("alice", [], [], "read"))
	d == {}
}

test_empty_lists_match_nothing if {
	p := {
		"name": "empty", "effect": "allow", "subjects": [user("alice")], "actions": [],
		"scope": {"tenants": ["*"], "resources": ["*"]}, "filters": [],
	}
	d6 := decide([p], request("alice", [], ["acme"], "read"))
	d6.acme.allow == false
}

test_unknown_effect_is_ignored if {
	p := object.union(allow("a", [user("alice")], ["read"], ["acme"], []), {"effect": "Allow"})
	d7 := decide([p], request("alice", [], ["acme"], "read"))
	d7.acme.allow == false
}

test_literal_star_action_needs_star_policy if {
	policies := [allow("a", [user("alice")], ["read"], ["acme"], [])]
	d8 := decide(policies, request("alice", [], ["acme"], "*"))
	d8.acme.allow == false
}

test_missing_groups_input_is_tolerated if {
	inp := {"subject": {"user": "alice"}, "tenants": ["acme"], "action": "read", "resource": "metrics"}
	d9 := decide([allow("a", [group("*")], ["read"], ["acme"], [])], inp)
	d9.acme.allow == false
	d10 := decide([allow("a", [user("alice")], ["read"], ["acme"], [])], inp)
	d10.acme.allow == true
}
