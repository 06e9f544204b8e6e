// Schemas of the other HCL files a Nomad user edits: agent configuration, volume specifications
// (`nomad volume create/register`) and ACL policies. Names and shapes come from Nomad's source
// (command/agent/config.go, nomad/structs/config/*, the api module's CSIVolume/HostVolume); that
// code is not imported, the facts are written down here as data with our own descriptions.
// Agent files are HCL1-decoded: most blocks may also be written as attributes holding objects.
import { bool, dur, kv, list, num, str } from './spec';
import type { AttrSpec, BlockSpec } from './types';

const serverJoin: BlockSpec = {
  description: 'How the agent finds and joins the servers of the cluster.',
  attributes: {
    start_join: list('Server addresses to join once at start-up; failure to join is fatal.'),
    retry_join: list(
      'Server addresses or cloud auto-join expressions ("provider=aws tag_key=…") retried until one works.',
    ),
    retry_max: num('Maximum join attempts; 0 (the default) retries forever.'),
    retry_interval: dur('Wait between join attempts. Defaults to 30s.'),
  },
};

const retry = (what: string): BlockSpec => ({
  description: `Retry behaviour of template rendering when ${what} cannot be reached.`,
  attributes: {
    attempts: num('Retries before giving up; 0 retries forever.'),
    backoff: dur('Initial wait between retries.'),
    max_backoff: dur('Upper bound of the growing wait.'),
  },
});

const waitBounds = (d: string): BlockSpec => ({
  description: d,
  attributes: { min: dur('Lower bound.'), max: dur('Upper bound.') },
});

const client: BlockSpec = {
  description: 'Client (worker) settings: turn the agent into a node that runs allocations.',
  attributes: {
    enabled: bool('Run the client. Defaults to false.'),
    state_dir: str('Directory for client state. Defaults to <data_dir>/client.'),
    alloc_dir: str('Directory for allocation working directories. Defaults to <data_dir>/alloc.'),
    servers: list('Server addresses ("host:port") the client registers with.'),
    node_class: str('Free-form class of the node, usable in constraints as ${node.class}.'),
    node_pool: str('Node pool the client joins. Defaults to "default".', { default: 'default' }),
    network_interface: str('Interface whose address is fingerprinted and used for networking.'),
    network_speed: num('Deprecated: overrides the detected link speed in Mbit/s.'),
    cpu_total_compute: num('Overrides the detected total CPU in MHz.'),
    memory_total_mb: num('Overrides the detected memory in MB.'),
    disk_total_mb: num('Overrides the detected disk size in MB.'),
    disk_free_mb: num('Overrides the detected free disk in MB.'),
    reservable_cores: str('CPU cores (cpuset syntax such as "0-3") that tasks may reserve with resources.cores.'),
    max_kill_timeout: dur("Upper limit for any task's kill_timeout. Defaults to 30s."),
    client_max_port: num('Highest port for client-side RPC listeners.'),
    client_min_port: num('Lowest port for client-side RPC listeners.'),
    max_dynamic_port: num('Highest port handed out as a dynamic port. Defaults to 32000.'),
    min_dynamic_port: num('Lowest port handed out as a dynamic port. Defaults to 20000.'),
    gc_interval: dur('How often terminal allocations are garbage-collected. Defaults to 1m.'),
    gc_parallel_destroys: num('Allocations destroyed at the same time during garbage collection. Defaults to 2.'),
    gc_disk_usage_threshold: num('Disk usage percentage that triggers garbage collection. Defaults to 80.'),
    gc_inode_usage_threshold: num('Inode usage percentage that triggers garbage collection. Defaults to 70.'),
    gc_max_allocs: num('Number of allocations tracked before garbage collection kicks in. Defaults to 50.'),
    no_host_uuid: bool("Generate a random node ID instead of using the host's UUID. Defaults to true."),
    disable_remote_exec: bool('Refuse `nomad alloc exec` into tasks on this node. Defaults to false.'),
    cni_path: str('Directories holding CNI plugin binaries. Defaults to /opt/cni/bin.'),
    cni_config_dir: str('Directory of CNI network configurations. Defaults to /opt/cni/config.'),
    bridge_network_name: str('Name of the bridge created for bridge-mode networking. Defaults to "nomad".'),
    bridge_network_subnet: str('Subnet of the bridge network. Defaults to "172.26.64.0/20".'),
    bridge_network_hairpin_mode: bool(
      'Enable hairpin mode on the bridge so allocations can reach themselves through it. Defaults to false.',
    ),
    bind_wildcard_default_host_network: bool(
      'Bind ports of the default host network on all addresses. Defaults to true.',
    ),
    cgroup_parent: str('Parent cgroup under which task cgroups are created. Defaults to "nomad.slice" (cgroups v2).'),
    nomad_service_discovery: bool("Fingerprint Nomad's built-in service discovery as available. Defaults to true."),
  },
  blocks: {
    options: kv('Driver and fingerprinter options as key/value strings, e.g. "driver.allowlist".'),
    meta: kv('Node metadata, usable in constraints as ${meta.<key>}.'),
    chroot_env: kv('Host paths (keys) copied into the chroot of exec/java tasks at the given paths (values).'),
    reserved: {
      description: 'Resources held back from scheduling for the host itself.',
      attributes: {
        cpu: num('CPU in MHz to reserve.'),
        memory: num('Memory in MB to reserve.'),
        disk: num('Disk in MB to reserve.'),
        reserved_ports: str('Ports or ranges to keep free, e.g. "22,80,8500-8600".'),
        cores: str('CPU cores to keep out of reservable_cores, in cpuset syntax.'),
      },
    },
    template: {
      description: 'Client-wide behaviour of the template block.',
      attributes: {
        function_denylist: list('Template functions that jobs may not use. Defaults to ["plugin", "writeToFile"].'),
        function_blacklist: list('Deprecated spelling of function_denylist.'),
        disable_file_sandbox: bool('Let templates read files outside the task directory. Defaults to false.'),
        max_stale: dur('How stale Consul reads may be.'),
        block_query_wait: dur('Wait time of blocking queries made by templates. Defaults to 5m.'),
      },
      blocks: {
        wait: waitBounds('Default quiescence timers of templates.'),
        wait_bounds: waitBounds('Limits on the wait values jobs may set.'),
        consul_retry: retry('Consul'),
        vault_retry: retry('Vault'),
        nomad_retry: retry('Nomad'),
      },
    },
    server_join: serverJoin,
    stats: { description: 'Obsolete block that the agent still accepts and ignores.', open: true },
    host_volume: {
      description: 'A host directory offered to jobs as a volume; the label is the volume name.',
      labels: ['name'],
      multiple: true,
      attributes: {
        path: str('Absolute path of the directory on the host.'),
        read_only: bool('Offer the volume read-only. Defaults to false.'),
      },
    },
    host_network: {
      description: 'A named host network that ports can be allocated on; the label is its name.',
      labels: ['name'],
      multiple: true,
      attributes: {
        cidr: str('Addresses in this CIDR belong to the network.'),
        interface: str('Interface whose addresses belong to the network.'),
        reserved_ports: str('Ports or ranges on this network kept free.'),
      },
    },
    artifact: {
      description: 'Limits and timeouts of artifact downloads.',
      attributes: {
        http_read_timeout: dur('Timeout of HTTP reads. Defaults to 30m.'),
        http_max_size: str('Largest HTTP download, e.g. "100GB".'),
        gcs_timeout: dur('Timeout of Google Cloud Storage downloads.'),
        git_timeout: dur('Timeout of git clones.'),
        hg_timeout: dur('Timeout of Mercurial clones.'),
        s3_timeout: dur('Timeout of S3 downloads.'),
        decompression_file_count_limit: num('Most files an archive may unpack to. Defaults to 4096.'),
        decompression_size_limit: str('Largest unpacked archive size, e.g. "100GB".'),
        disable_filesystem_isolation: bool('Run downloads without the file-system sandbox. Defaults to false.'),
        set_environment_variables: str('Comma-separated host environment variables passed to the downloader.'),
      },
    },
    drain_on_shutdown: {
      description: 'Drain the node before the agent shuts down.',
      attributes: {
        deadline: dur('How long the drain may take. Defaults to 1h.'),
        ignore_system_jobs: bool('Leave system job allocations running. Defaults to false.'),
        force: bool('Stop allocations immediately instead of migrating them. Defaults to false.'),
      },
    },
  },
};

const server: BlockSpec = {
  description: 'Server settings: turn the agent into a server that stores state and schedules work.',
  attributes: {
    enabled: bool('Run the server. Defaults to false.'),
    authoritative_region: str('Region that owns ACL policies and tokens in a federated cluster.'),
    bootstrap_expect: num(
      'Number of servers to wait for before electing a leader; use 3 or 5 in production, 1 for a single server.',
    ),
    data_dir: str('Server state directory. Defaults to <data_dir>/server.'),
    protocol_version: num('Deprecated: protocol version to speak.'),
    raft_protocol: num('Raft protocol version. Defaults to 3.'),
    raft_multiplier: num('Scales Raft timing; higher tolerates slower hardware. Defaults to 1.'),
    num_schedulers: num('Parallel scheduler workers. Defaults to the number of CPU cores.'),
    enabled_schedulers: list('Schedulers this server runs, e.g. ["service", "batch", "system", "sysbatch"].'),
    node_gc_threshold: dur('Age after which down nodes are garbage-collected. Defaults to 24h.'),
    job_gc_interval: dur('How often job garbage collection runs. Defaults to 5m.'),
    job_gc_threshold: dur('Age after which dead jobs are garbage-collected. Defaults to 4h.'),
    eval_gc_threshold: dur('Age after which evaluations are garbage-collected. Defaults to 1h.'),
    batch_eval_gc_threshold: dur('Age after which evaluations of batch jobs are garbage-collected. Defaults to 24h.'),
    deployment_gc_threshold: dur('Age after which finished deployments are garbage-collected. Defaults to 1h.'),
    csi_volume_claim_gc_interval: dur('How often unused CSI volume claims are released. Defaults to 5m.'),
    csi_volume_claim_gc_threshold: dur('Age after which unused CSI volume claims are released. Defaults to 1h.'),
    csi_plugin_gc_threshold: dur('Age after which unused CSI plugins are garbage-collected. Defaults to 1h.'),
    acl_token_gc_threshold: dur('Age after which expired ACL tokens are garbage-collected. Defaults to 1h.'),
    root_key_gc_interval: dur('How often old encryption keys are garbage-collected. Defaults to 10m.'),
    root_key_gc_threshold: dur('Age after which unused encryption keys are garbage-collected. Defaults to 1h.'),
    root_key_rotation_threshold: dur('Age after which the encryption key is rotated. Defaults to 720h.'),
    heartbeat_grace: dur('Extra time allowed for client heartbeats before a node is marked down. Defaults to 10s.'),
    min_heartbeat_ttl: dur('Shortest heartbeat interval given to clients. Defaults to 10s.'),
    max_heartbeats_per_second: num('Target rate of client heartbeats across the cluster. Defaults to 50.'),
    failover_heartbeat_ttl: dur('Heartbeat TTL given to clients after a leader election. Defaults to 5m.'),
    start_join: list('Deprecated: use server_join { start_join }.'),
    retry_join: list('Deprecated: use server_join { retry_join }.'),
    retry_max: num('Deprecated: use server_join { retry_max }.'),
    retry_interval: dur('Deprecated: use server_join { retry_interval }.'),
    rejoin_after_leave: bool('Rejoin the cluster after a graceful leave. Defaults to false.'),
    non_voting_server: bool('Join as a non-voting server (Enterprise). Defaults to false.'),
    redundancy_zone: str('Redundancy zone of the server for autopilot (Enterprise).'),
    upgrade_version: str('Version tag used by autopilot upgrade migrations (Enterprise).'),
    encrypt: str('Base64 gossip encryption key, e.g. from `nomad operator gossip keyring generate`.'),
    enable_event_broker: bool('Publish the event stream. Defaults to true.'),
    event_buffer_size: num('Events kept for the event stream. Defaults to 100.'),
    license_path: str('Path of the Enterprise licence file.'),
    deploy_query_rate_limit: num('Rate limit of deployment watcher queries per second. Defaults to 100.'),
    raft_snapshot_threshold: num('Raft log entries between snapshots. Defaults to 8192.'),
    raft_snapshot_interval: dur('How often Raft checks whether to snapshot. Defaults to 120s.'),
    raft_trailing_logs: num('Raft log entries kept after a snapshot. Defaults to 10240.'),
    job_default_priority: num('Priority of jobs that do not set one. Defaults to 50.'),
    job_max_priority: num('Highest priority a job may have. Defaults to 100.'),
    job_max_source_size: str('Largest job source stored with a job version, e.g. "1M".'),
    job_tracked_versions: num('Job versions kept per job. Defaults to 6.'),
  },
  blocks: {
    server_join: serverJoin,
    default_scheduler_config: {
      description: 'Scheduler configuration applied when the cluster is first bootstrapped.',
      attributes: {
        scheduler_algorithm: str('"binpack" (the default) or "spread".', { enum: ['binpack', 'spread'] }),
        memory_oversubscription_enabled: bool('Allow tasks to set memory_max. Defaults to false.'),
        reject_job_registration: bool('Refuse job registrations (maintenance). Defaults to false.'),
        pause_eval_broker: bool('Pause the evaluation broker. Defaults to false.'),
      },
      blocks: {
        preemption_config: {
          description: 'Which schedulers may preempt lower-priority allocations.',
          attributes: {
            system_scheduler_enabled: bool('Preemption for system jobs. Defaults to true.'),
            sysbatch_scheduler_enabled: bool('Preemption for sysbatch jobs. Defaults to false.'),
            batch_scheduler_enabled: bool('Preemption for batch jobs. Defaults to false.'),
            service_scheduler_enabled: bool('Preemption for service jobs. Defaults to false.'),
          },
        },
      },
    },
    plan_rejection_tracker: {
      description: 'Marks nodes ineligible when the plan applier keeps rejecting plans for them.',
      attributes: {
        enabled: bool('Turn the tracker on. Defaults to false.'),
        node_threshold: num('Rejections within node_window before a node is marked ineligible. Defaults to 100.'),
        node_window: dur('Window for counting rejections. Defaults to 5m.'),
      },
    },
    search: {
      description: 'Settings of the search API used by the web UI.',
      attributes: {
        fuzzy_enabled: bool('Enable fuzzy search. Defaults to true.'),
        limit_query: num('Objects examined per search. Defaults to 20.'),
        limit_results: num('Results returned per search. Defaults to 100.'),
        min_term_length: num('Shortest search term. Defaults to 2.'),
      },
    },
    raft_boltdb: {
      description: 'Tuning of the BoltDB Raft store.',
      attributes: {
        no_freelist_sync: bool(
          'Do not sync the free list to disk (faster writes, slower restarts). Defaults to false.',
        ),
      },
    },
  },
};

const tlsBlock: BlockSpec = {
  description: 'TLS for HTTP and RPC between agents and for the API.',
  attributes: {
    http: bool('Serve the HTTP API over TLS. Defaults to false.'),
    rpc: bool('Use TLS for RPC between agents. Defaults to false.'),
    verify_server_hostname: bool('Check that server certificates name "server.<region>.nomad". Defaults to false.'),
    ca_file: str('CA certificate bundle (PEM).'),
    cert_file: str('Certificate of this agent (PEM).'),
    key_file: str('Private key of this agent (PEM).'),
    rpc_upgrade_mode: bool('Accept plaintext and TLS RPC during a migration to TLS. Defaults to false.'),
    verify_https_client: bool('Require client certificates on the HTTPS API. Defaults to false.'),
    tls_cipher_suites: str('Comma-separated list of allowed cipher suites.'),
    tls_min_version: str('Lowest TLS version: "tls10", "tls11", "tls12" (the default) or "tls13".', {
      enum: ['tls10', 'tls11', 'tls12', 'tls13'],
    }),
    tls_prefer_server_cipher_suites: bool("Prefer the server's cipher suite order. Defaults to false."),
  },
};

const consulBlock: BlockSpec = {
  description: 'How the agent talks to Consul: service registration, auto-join and tokens.',
  attributes: {
    address: str('Consul HTTP address. Defaults to "127.0.0.1:8500".'),
    grpc_address: str('Consul gRPC address, used by Connect sidecars.'),
    token: str('Consul ACL token of the agent.'),
    auth: str('HTTP basic auth for Consul as "user:password".'),
    ssl: bool('Talk to Consul over HTTPS. Defaults to false.'),
    verify_ssl: bool("Verify Consul's certificate. Defaults to true."),
    share_ssl: bool('Share the TLS settings with Envoy sidecars. Defaults to true.'),
    ca_file: str('CA bundle used to verify Consul.'),
    grpc_ca_file: str("CA bundle used to verify Consul's gRPC listener."),
    cert_file: str('Client certificate for Consul.'),
    key_file: str('Key of the client certificate.'),
    timeout: dur('Timeout of Consul requests.'),
    namespace: str('Default Consul namespace (Consul Enterprise).'),
    tags: list("Tags added to the agent's own service registrations."),
    auto_advertise: bool("Register the agent's own services in Consul. Defaults to true."),
    checks_use_advertise: bool("Point the agent's health checks at advertise addresses. Defaults to false."),
    allow_unauthenticated: bool('Let jobs use Consul features without a Consul token. Defaults to true.'),
    server_service_name: str('Service name of Nomad servers in Consul. Defaults to "nomad".'),
    server_http_check_name: str("Name of the servers' HTTP health check."),
    server_serf_check_name: str("Name of the servers' Serf health check."),
    server_rpc_check_name: str("Name of the servers' RPC health check."),
    client_service_name: str('Service name of Nomad clients in Consul. Defaults to "nomad-client".'),
    client_http_check_name: str("Name of the clients' HTTP health check."),
    server_auto_join: bool('Servers find each other through Consul. Defaults to true.'),
    client_auto_join: bool('Clients find servers through Consul. Defaults to true.'),
  },
};

const vaultBlock: BlockSpec = {
  description: 'How the agent talks to Vault to give tasks tokens.',
  attributes: {
    enabled: bool('Enable the Vault integration. Defaults to false.'),
    address: str('Vault address. Defaults to "https://vault.service.consul:8200".'),
    token: str('Vault token of the servers (legacy token workflow).'),
    create_from_role: str('Vault token role used to create task tokens.'),
    allow_unauthenticated: bool('Let jobs ask for Vault policies without proving access. Defaults to true.'),
    task_token_ttl: dur('TTL of task tokens.'),
    ca_file: str('CA bundle used to verify Vault.'),
    ca_path: str('Directory of CA certificates used to verify Vault.'),
    cert_file: str('Client certificate for Vault.'),
    key_file: str('Key of the client certificate.'),
    tls_skip_verify: bool("Skip verification of Vault's certificate. Defaults to false."),
    tls_server_name: str("Server name used to verify Vault's certificate."),
    namespace: str('Vault namespace (Vault Enterprise).'),
  },
};

export const agentConfig: BlockSpec = {
  description: 'A Nomad agent configuration file (HCL1): one or more may be passed with -config.',
  attributes: {
    region: str('Region of the agent. Defaults to "global".'),
    datacenter: str('Datacenter of the agent. Defaults to "dc1".'),
    name: str('Node name. Defaults to the host name.'),
    data_dir: str('Directory for all agent state. Required unless running with -dev.'),
    plugin_dir: str('Directory searched for task driver and device plugins. Defaults to <data_dir>/plugins.'),
    log_level: str('Log level: "TRACE", "DEBUG", "INFO" (the default), "WARN" or "ERROR".', {
      enum: ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF'],
    }),
    log_json: bool('Write logs as JSON. Defaults to false.'),
    log_file: str('Also write logs to this file or directory.'),
    log_include_location: bool('Include file and line of each log call. Defaults to false.'),
    log_rotate_duration: dur('Rotate the log file after this long. Defaults to 24h.'),
    log_rotate_bytes: num('Rotate the log file at this size in bytes.'),
    log_rotate_max_files: num('Rotated log files to keep.'),
    bind_addr: str('Address all listeners bind to; may be a go-sockaddr template. Defaults to "0.0.0.0".'),
    enable_debug: bool('Expose the pprof debug endpoints. Defaults to false.'),
    leave_on_interrupt: bool('Leave the cluster gracefully on SIGINT. Defaults to false.'),
    leave_on_terminate: bool('Leave the cluster gracefully on SIGTERM. Defaults to false.'),
    enable_syslog: bool('Also log to syslog. Defaults to false.'),
    syslog_facility: str('Syslog facility. Defaults to "LOCAL0".'),
    disable_update_check: bool('Do not check for new Nomad versions. Defaults to false.'),
    disable_anonymous_signature: bool('Send no anonymous signature with update checks. Defaults to false.'),
  },
  blocks: {
    ports: {
      description: "Ports of the agent's listeners.",
      attributes: {
        http: num('HTTP API port. Defaults to 4646.'),
        rpc: num('RPC port. Defaults to 4647.'),
        serf: num('Serf gossip port (servers). Defaults to 4648.'),
      },
    },
    addresses: {
      description: 'Bind addresses per listener, overriding bind_addr.',
      attributes: {
        http: str('Bind address of the HTTP API.'),
        rpc: str('Bind address of RPC.'),
        serf: str('Bind address of Serf gossip.'),
      },
    },
    advertise: {
      description: 'Addresses other agents and clients should use to reach this one.',
      attributes: {
        http: str('Advertised HTTP address.'),
        rpc: str('Advertised RPC address.'),
        serf: str('Advertised Serf address.'),
      },
    },
    client,
    server,
    acl: {
      description: 'Access control lists: when enabled, every request needs a token.',
      attributes: {
        enabled: bool('Enforce ACLs. Defaults to false.'),
        token_ttl: dur('How long a resolved token is cached. Defaults to 30s.'),
        policy_ttl: dur('How long a resolved policy is cached. Defaults to 30s.'),
        role_ttl: dur('How long a resolved role is cached. Defaults to 30s.'),
        replication_token: str('Token used to replicate ACL data from the authoritative region.'),
        token_min_expiration_ttl: dur('Shortest allowed expiration of new tokens. Defaults to 1m.'),
        token_max_expiration_ttl: dur('Longest allowed expiration of new tokens. Defaults to 24h.'),
      },
    },
    telemetry: {
      description: 'Metrics collection and the sinks they are sent to.',
      attributes: {
        statsite_address: str('Statsite address to stream metrics to.'),
        statsd_address: str('StatsD address to send metrics to.'),
        datadog_address: str('DogStatsD address to send metrics to.'),
        datadog_tags: list('Tags added to DogStatsD metrics.'),
        prometheus_metrics: bool(
          'Serve metrics in Prometheus format at /v1/metrics?format=prometheus. Defaults to false.',
        ),
        disable_hostname: bool('Do not prefix gauge names with the host name. Defaults to false.'),
        use_node_name: bool('Use the node name instead of the host name in metric names. Defaults to false.'),
        collection_interval: dur('How often runtime metrics are collected. Defaults to 1s.'),
        publish_allocation_metrics: bool('Publish per-allocation resource metrics. Defaults to false.'),
        publish_node_metrics: bool('Publish node resource metrics. Defaults to false.'),
        prefix_filter: list('Metric name prefixes to allow (+) or block (-).'),
        filter_default: bool('Whether metrics not matched by prefix_filter are published. Defaults to true.'),
        disable_dispatched_job_summary_metrics: bool('Skip job summary metrics of dispatched jobs. Defaults to false.'),
        disable_rpc_rate_metrics_labels: bool('Drop identity labels from RPC rate metrics. Defaults to false.'),
        circonus_api_token: str('Circonus API token.'),
        circonus_api_app: str('Circonus API application name.'),
        circonus_api_url: str('Circonus API URL.'),
        circonus_submission_interval: dur('Interval of Circonus submissions.'),
        circonus_submission_url: str('Circonus check submission URL.'),
        circonus_check_id: str('Existing Circonus check ID.'),
        circonus_check_force_metric_activation: str('Force activation of metrics already present but inactive.'),
        circonus_check_instance_id: str('Unique instance ID of the Circonus check.'),
        circonus_check_search_tag: str('Tag used to find an existing Circonus check.'),
        circonus_check_tags: str('Comma-separated tags added to the Circonus check.'),
        circonus_check_display_name: str('Display name of the Circonus check.'),
        circonus_broker_id: str('Circonus broker ID.'),
        circonus_broker_select_tag: str('Tag used to select a Circonus broker.'),
      },
    },
    consul: consulBlock,
    vault: vaultBlock,
    ui: {
      description: 'The built-in web UI.',
      attributes: { enabled: bool('Serve the web UI. Defaults to true.') },
      blocks: {
        consul: {
          description: 'Links from the UI to Consul.',
          attributes: { ui_url: str('Base URL of the Consul UI.') },
        },
        vault: { description: 'Links from the UI to Vault.', attributes: { ui_url: str('Base URL of the Vault UI.') } },
        content_security_policy: {
          description: 'Content-Security-Policy header of the UI.',
          attributes: {
            connect_src: list('connect-src sources.'),
            default_src: list('default-src sources.'),
            form_action: list('form-action sources.'),
            frame_ancestors: list('frame-ancestors sources.'),
            img_src: list('img-src sources.'),
            script_src: list('script-src sources.'),
            style_src: list('style-src sources.'),
          },
        },
        label: {
          description: 'A banner label shown in the UI header.',
          attributes: {
            text: str('Text of the label.'),
            background_color: str('Background colour.'),
            text_color: str('Text colour.'),
          },
        },
      },
    },
    tls: tlsBlock,
    http_api_response_headers: kv('Extra HTTP headers added to every API response.'),
    sentinel: {
      description: 'Sentinel policy imports (Enterprise).',
      blocks: {
        import: {
          description: 'A Sentinel import plugin; the label is its name.',
          labels: ['name'],
          multiple: true,
          attributes: { path: str('Path of the plugin binary.'), args: list('Arguments of the plugin.') },
        },
      },
    },
    autopilot: {
      description: 'Autopilot: automatic server health management and upgrades.',
      attributes: {
        cleanup_dead_servers: bool('Remove failed servers automatically. Defaults to true.'),
        server_stabilization_time: dur('How long a new server must be healthy before it votes. Defaults to 10s.'),
        last_contact_threshold: dur(
          'Leader contact delay after which a server counts as unhealthy. Defaults to 200ms.',
        ),
        max_trailing_logs: num('Raft log entries a server may lag behind. Defaults to 250.'),
        min_quorum: num('Servers kept before dead servers are pruned.'),
        enable_redundancy_zones: bool('Use redundancy zones (Enterprise). Defaults to false.'),
        disable_upgrade_migration: bool('Turn off automated upgrade migrations (Enterprise). Defaults to false.'),
        enable_custom_upgrades: bool('Use upgrade_version tags for migrations (Enterprise). Defaults to false.'),
      },
    },
    plugin: {
      description:
        'Configuration of a task driver or device plugin; the label is the plugin name (e.g. "docker", "raw_exec").',
      labels: ['name'],
      multiple: true,
      attributes: { args: list('Arguments passed to an external plugin binary.') },
      blocks: {
        config: {
          description:
            "Plugin-specific configuration. For the built-in task drivers (docker, raw_exec, exec, java, qemu) the plugin's label chooses what it takes; other plugins' settings are not checked.",
          open: true,
          freeform: 'any',
        },
      },
    },
    limits: {
      description: 'Connection limits protecting the agent.',
      attributes: {
        https_handshake_timeout: dur('Timeout of TLS handshakes on the HTTP API. Defaults to 5s.'),
        http_max_conns_per_client: num('Concurrent HTTP connections allowed per client IP. Defaults to 100.'),
        rpc_handshake_timeout: dur('Timeout of RPC connection handshakes. Defaults to 5s.'),
        rpc_max_conns_per_client: num('Concurrent RPC connections allowed per client IP. Defaults to 100.'),
      },
    },
    audit: {
      description: 'Audit logging of API requests (Enterprise).',
      attributes: { enabled: bool('Turn audit logging on. Defaults to false.') },
      blocks: {
        sink: {
          description: 'Where audit events go; the label names the sink.',
          labels: ['name'],
          multiple: true,
          attributes: {
            type: str('Sink type: "file".'),
            delivery_guarantee: str('"enforced" (fail requests that cannot be logged) or "best-effort".', {
              enum: ['enforced', 'best-effort'],
            }),
            format: str('Event format: "json".'),
            path: str('File the events are written to.'),
            rotate_duration: dur('Rotate the file after this long.'),
            rotate_bytes: num('Rotate the file at this size.'),
            rotate_max_files: num('Rotated files to keep.'),
            mode: str('File mode of the audit file, e.g. "0600".'),
          },
        },
        filter: {
          description: 'Excludes matching requests from the audit log; the label names the filter.',
          labels: ['name'],
          multiple: true,
          attributes: {
            type: str('Filter type: "HTTPEvent".'),
            endpoints: list('API endpoints to exclude; "*" for all.'),
            stages: list('Request stages to exclude, e.g. "OperationReceived".'),
            operations: list('HTTP methods to exclude, e.g. "GET".'),
          },
        },
      },
    },
  },
};

const capability: BlockSpec = {
  description: 'An access and attachment mode combination the volume must support. Several may be given.',
  multiple: true,
  attributes: {
    access_mode: str('Access mode, e.g. "single-node-writer" or "multi-node-multi-writer".', {
      enum: [
        'single-node-reader-only',
        'single-node-writer',
        'single-node-single-writer',
        'single-node-multi-writer',
        'multi-node-reader-only',
        'multi-node-single-writer',
        'multi-node-multi-writer',
      ],
    }),
    attachment_mode: str('"file-system" or "block-device".', { enum: ['file-system', 'block-device'] }),
  },
};

const topology: BlockSpec = {
  description: 'A list of topologies.',
  blocks: {
    topology: {
      description: 'One topology: a set of segments such as a zone.',
      multiple: true,
      blocks: { segments: kv('Topology segments (key = value).') },
    },
  },
};

/** Volume specification for `nomad volume create/register` with type = "csi". */
export const csiVolumeSpec: BlockSpec = {
  description: 'A CSI volume specification for `nomad volume create` or `nomad volume register`.',
  attributes: {
    id: str('Unique ID of the volume in Nomad. Required.', { required: true }),
    name: str('Display name; also the name requested from the storage provider when creating.', { required: true }),
    type: str('Volume type: "csi".', { required: true, enum: ['csi', 'host'] }),
    namespace: str('Namespace of the volume. Defaults to "default".'),
    plugin_id: str('ID of the CSI plugin that manages the volume.', { required: true }),
    external_id: str('ID of an existing volume at the storage provider (register only).'),
    snapshot_id: str('Snapshot to create the volume from (create only).'),
    clone_id: str('Existing volume to clone (create only).'),
    capacity_min: str('Smallest acceptable size, e.g. "10GiB" (create only).'),
    capacity_max: str('Largest acceptable size, e.g. "20GiB" (create only).'),
  },
  blocks: {
    capability,
    mount_options: {
      description: 'Default mount options of the volume.',
      attributes: { fs_type: str('File-system type, e.g. "ext4".'), mount_flags: list('Mount flags.') },
    },
    topology_request: {
      description: 'Where the volume must or should be accessible.',
      blocks: {
        required: { ...topology, description: 'Topologies the volume must be accessible from.' },
        preferred: { ...topology, description: 'Topologies preferred when creating the volume.' },
      },
    },
    secrets: kv('Secrets passed to the CSI plugin.'),
    parameters: kv('Parameters passed to the plugin when creating the volume.'),
    context: kv('Context passed to the plugin with node operations.'),
  },
};

/** Volume specification for dynamic host volumes (type = "host", Nomad 1.10+). */
export const hostVolumeSpec: BlockSpec = {
  description:
    'A dynamic host volume specification for `nomad volume create` or `nomad volume register` (Nomad 1.10+).',
  attributes: {
    name: str('Name of the volume, used by jobs in volume blocks. Required.', { required: true }),
    type: str('Volume type: "host".', { required: true, enum: ['csi', 'host'] }),
    id: str('ID of an existing volume (to update it).'),
    namespace: str('Namespace of the volume. Defaults to "default".'),
    plugin_id: str('Host volume plugin that creates the volume, e.g. "mkdir".'),
    node_pool: str('Node pool to place the volume in.'),
    node_id: str('Node to place the volume on.'),
    capacity_min: str('Smallest acceptable size, e.g. "1GiB".'),
    capacity_max: str('Largest acceptable size.'),
    capacity: str('Size of an existing volume (register).'),
    host_path: str('Path of an existing volume on the host (register).'),
  },
  blocks: {
    capability,
    constraint: {
      description: 'Restricts the nodes the volume may be placed on.',
      multiple: true,
      attributes: {
        attribute: str('Node attribute to compare.'),
        value: str('Value to compare with.'),
        operator: str('Comparison operator. Defaults to "=".'),
      },
    },
    parameters: kv('Parameters passed to the host volume plugin.'),
  },
};

const policy = (values: string[], d: string): AttrSpec => str(d, { enum: values });
const nsCapabilities = [
  'deny',
  'list-jobs',
  'parse-job',
  'read-job',
  'submit-job',
  'dispatch-job',
  'read-logs',
  'read-fs',
  'alloc-exec',
  'alloc-node-exec',
  'alloc-lifecycle',
  'csi-write-volume',
  'csi-read-volume',
  'csi-list-volume',
  'csi-mount-volume',
  'csi-register-plugin',
  'list-scaling-policies',
  'read-scaling-policy',
  'read-job-scaling',
  'scale-job',
  'sentinel-override',
  'submit-recommendation',
  'host-volume-create',
  'host-volume-register',
  'host-volume-read',
  'host-volume-write',
  'host-volume-delete',
];

/** ACL policy documents (`nomad acl policy apply`). */
export const aclPolicy: BlockSpec = {
  description: 'A Nomad ACL policy: rules granting access per namespace and to cluster-wide APIs.',
  blocks: {
    namespace: {
      description: 'Rules for a namespace; the label is its name or a glob such as "*" or "web-*".',
      labels: ['name'],
      multiple: true,
      attributes: {
        policy: policy(['deny', 'read', 'write', 'scale'], 'Coarse disposition: "deny", "read", "write" or "scale".'),
        capabilities: {
          type: 'list(string)',
          description: 'Fine-grained capabilities such as "submit-job", "read-logs" or "alloc-exec".',
          enum: nsCapabilities,
        },
      },
      blocks: {
        variables: {
          description: 'Access to Nomad Variables in the namespace.',
          blocks: {
            path: {
              description: 'Rules for variable paths matching the label (a glob).',
              labels: ['pattern'],
              multiple: true,
              attributes: {
                capabilities: {
                  type: 'list(string)',
                  description: 'Any of "write", "read", "list", "destroy" or "deny".',
                  enum: ['write', 'read', 'list', 'destroy', 'deny'],
                },
              },
            },
          },
        },
      },
    },
    host_volume: {
      description: 'Rules for host volumes whose name matches the label (a glob).',
      labels: ['name'],
      multiple: true,
      attributes: {
        policy: policy(['deny', 'read', 'write'], '"deny", "read" or "write".'),
        capabilities: {
          type: 'list(string)',
          description: 'Fine-grained capabilities: "deny" or "mount-readonly"/"mount-readwrite".',
          enum: ['deny', 'mount-readonly', 'mount-readwrite'],
        },
      },
    },
    agent: {
      description: 'Access to the agent APIs.',
      attributes: { policy: policy(['deny', 'read', 'write'], '"deny", "read" or "write".') },
    },
    node: {
      description: 'Access to the node APIs.',
      attributes: { policy: policy(['deny', 'read', 'write'], '"deny", "read" or "write".') },
    },
    operator: {
      description: 'Access to the operator APIs (Raft, autopilot, scheduler configuration).',
      attributes: { policy: policy(['deny', 'read', 'write'], '"deny", "read" or "write".') },
    },
    quota: {
      description: 'Access to resource quotas (Enterprise).',
      attributes: { policy: policy(['deny', 'read', 'write'], '"deny", "read" or "write".') },
    },
    plugin: {
      description: 'Access to CSI plugin information.',
      attributes: { policy: policy(['deny', 'read', 'list'], '"deny", "read" or "list".') },
    },
    node_pool: {
      description: 'Rules for node pools whose name matches the label (a glob).',
      labels: ['name'],
      multiple: true,
      attributes: {
        policy: policy(['deny', 'read', 'write'], '"deny", "read" or "write".'),
        capabilities: {
          type: 'list(string)',
          description: 'Any of "delete", "read", "write" or "deny".',
          enum: ['delete', 'read', 'write', 'deny'],
        },
      },
    },
  },
};

/** Namespace specification for `nomad namespace apply <file>` (HCL1-decoded; unknown keys are ignored). */
export const namespaceSpec: BlockSpec = {
  description: 'A namespace specification for `nomad namespace apply`.',
  attributes: {
    name: str('Name of the namespace. Required.', { required: true }),
    description: str('Human-readable description of the namespace.'),
    quota: str('Resource quota attached to the namespace (Enterprise).'),
  },
  blocks: {
    meta: kv('Metadata of the namespace (key = value).'),
    capabilities: {
      description: 'Task drivers allowed or refused in the namespace.',
      attributes: {
        enabled_task_drivers: list('Task drivers jobs in this namespace may use; empty allows all.'),
        disabled_task_drivers: list('Task drivers jobs in this namespace may not use.'),
      },
    },
    node_pool_config: {
      description: 'Node pools jobs in this namespace may use (Enterprise).',
      attributes: {
        default: str('Node pool of jobs that do not name one.'),
        allowed: list('Node pools jobs may use (globs allowed); exclusive with denied.'),
        denied: list('Node pools jobs may not use (globs allowed); exclusive with allowed.'),
      },
    },
  },
};
