# node-01: the Nomad server of the tutorial's cluster ("Deploying Microservices Transparently in
# Clusters with Docker and Nomad", Part 1), with Consul beside it. The tutorial's node-01.local is
# 127.0.0.1 here, so the whole cluster fits on one machine; every agent keeps Nomad's default ports
# (http 4646, rpc 4647, serf 4648) on its own loopback address.
#
#   nomad agent -config=node-01.server.hcl
#
# For mutual TLS and ACLs, add tls.hcl and acl.hcl beside this file (see README.md).

# The address every listener binds to.
bind_addr = "127.0.0.1"

# Where the agent keeps its state. The test harness and the demo pass -data-dir to use a temp folder.
data_dir = "/var/lib/nomad/node-01"

datacenter = "dc1"
name       = "node-01"

# This agent is the cluster's only server: the others send it their jobs and join it.
server = {
  enabled = true

  # One server is enough for the tutorial; production runs an odd number (3, 5, …) so a majority
  # survives the loss of one.
  bootstrap_expect = 1
}

# Consul for service discovery, on the same machine as the server.
consul = {
  address = "127.0.0.1:8500"
}

# How the other agents and the CLI reach this one.
advertise = {
  http = "127.0.0.1"
  rpc  = "127.0.0.1"
  serf = "127.0.0.1"
}
