# Node-local pools: one Loam on every client, serving controller and node (a monolith plugin).
#   nomad job run deploy/nomad/loam-monolith.nomad.hcl
# The Docker driver on each client must allow privileged containers (allow_privileged = true).
job "loam" {
  type = "system"

  group "loam" {
    task "plugin" {
      driver = "docker"

      config {
        image        = "loam:0.1.0"
        privileged   = true
        network_mode = "host"
        args = [
          "serve",
          "--driver-name=loam.csi.dev",
          "--endpoint=unix:///csi/csi.sock",
          "--node-id=${node.unique.name}",
          "--mode=all",
          "--allowed-root=/local/csi",
          "--http-endpoint=127.0.0.1:9810",
        ]

        mount {
          type   = "bind"
          source = "/dev"
          target = "/dev"
        }

        mount {
          type   = "bind"
          source = "/var/lib/loam"
          target = "/var/lib/loam"
          bind_options {
            propagation = "rshared"
          }
        }
      }

      env {
        LOAM_POOLS = "default=/var/lib/loam/pools/default"
      }

      csi_plugin {
        id                     = "loam"
        type                   = "monolith"
        mount_dir              = "/csi"
        stage_publish_base_dir = "/local/csi"
        health_timeout         = "30s"
      }

      resources {
        cpu    = 50
        memory = 256
      }
    }
  }
}
