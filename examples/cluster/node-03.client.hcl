# node-03: a Nomad client of the tutorial's cluster, where the jobs' tasks run (Docker, and raw_exec
# for the demo without Docker). The tutorial's node-03.local is 127.0.0.3 here; node-02.client.hcl
# is the same file for the other client, as the tutorial's note says.
#
#   nomad agent -config=node-03.client.hcl

bind_addr = "127.0.0.3"
data_dir  = "/var/lib/nomad/node-03"

datacenter = "dc1"
name       = "node-03"

# Run tasks, and take jobs from the server on node-01.
client = {
  enabled = true
  servers = ["127.0.0.1:4647"]

  # Both clients share this machine's loopback interface: each fingerprints it as its network, and
  # each hands out dynamic ports from its own range, so the two never pick the same port.
  network_interface = "lo"
  min_dynamic_port  = 26000
  max_dynamic_port  = 31999

  # Each client keeps its tasks' cgroups apart from the other's.
  cgroup_parent = "nomad-03.slice"
}

# The task drivers: Docker as in the tutorial, raw_exec for the variant without Docker.
plugin "docker" {
  config {
    # The images a rollback needs stay on the node when their task stops.
    gc {
      image = false
    }
  }
}

plugin "raw_exec" {
  config {
    enabled = true
  }
}

# The Consul agent of this node, a client of the Consul server on node-01. Every Nomad client wants a
# Consul agent of its own: two clients registering with one agent remove each other's services (each
# one's sync drops the Nomad services it does not know).
consul = {
  address = "127.0.0.3:8500"
}

advertise = {
  http = "127.0.0.3"
  rpc  = "127.0.0.3"
  serf = "127.0.0.3"
}
