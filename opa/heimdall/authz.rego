# Heimdall's authorization decision (DESIGN §3), the same decision as the built-in LocalPolicyEvaluator.
#
# Input:  {"subject": {"user": "...", "groups": ["..."]}, "tenants": ["..."], "action": "...", "resource": "..."}
# Data:   data.heimdall.tenants  {"<tenant id>": {"name": "..."}}
#         data.heimdall.policies [{"name", "effect", "subjects", "actions", "scope": {"tenants", "resources"}, "filters"}]
# Output: decision = {"<tenant>": {"allow": bool, "filters": [[matcher, ...], ...]}} for every input tenant.
#
# Rules, per tenant:
#   - a tenant that is not in data.heimdall.tenants is denied, whatever the policies say;
#   - any matching deny policy denies;
#   - otherwise the tenant is allowed iff some allow policy matches; the grant is the OR over matching
#     allow policies of the AND of each one's filters. An allow without filters is unrestricted and
#     absorbs the rest: filters = [[]].
#   - filters are canonical: each alternative is its matchers sorted and deduplicated, and the
#     alternatives are sorted (OPA's array order: element by element, a prefix first) and deduplicated.
#   - a policy matches when a subject matches (user id equal to input.subject.user, or group id among
#     input.subject.groups; "*" matches any user, or any group when the caller has at least one), its
#     actions contain input.action or "*", its scope.tenants contain the tenant or "*", and its
#     scope.resources contain input.resource or "*". An empty list matches nothing.
package heimdall.authz

denied := {"allow": false, "filters": []}

unrestricted := {"allow": true, "filters": [[]]}

decision := {tenant: tenant_decision(tenant) | some tenant in input.tenants}

tenant_decision(tenant) := denied if {
	not known_tenant(tenant)
} else := denied if {
	some p in data.heimdall.policies
	p.effect == "deny"
	policy_matches(p, tenant)
} else := unrestricted if {
	some p in data.heimdall.policies
	p.effect == "allow"
	policy_matches(p, tenant)
	count(policy_filters(p)) == 0
} else := {"allow": true, "filters": alternatives(tenant)} if {
	some p in data.heimdall.policies
	p.effect == "allow"
	policy_matches(p, tenant)
} else := denied

known_tenant(tenant) if {
	is_string(tenant)
	_ = data.heimdall.tenants[tenant]
}

alternatives(tenant) := sort({sort({f | some f in policy_filters(p)}) |
	some p in data.heimdall.policies
	p.effect == "allow"
	policy_matches(p, tenant)
})

policy_filters(p) := object.get(p, "filters", [])

policy_matches(p, tenant) if {
	subject_matches(p)
	listed(object.get(p, "actions", []), input.action)
	listed(object.get(p, ["scope", "tenants"], []), tenant)
	listed(object.get(p, ["scope", "resources"], []), input.resource)
}

subject_matches(p) if {
	some s in object.get(p, "subjects", [])
	s.type == "user"
	is_string(input.subject.user)
	listed([s.id], input.subject.user)
}

subject_matches(p) if {
	some s in object.get(p, "subjects", [])
	s.type == "group"
	some g in input.subject.groups
	is_string(g)
	listed([s.id], g)
}

# listed(xs, value): xs contains value or "*".
listed(xs, _) if "*" in xs

listed(xs, value) if value in xs
