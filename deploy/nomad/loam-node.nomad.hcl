# The node plugin for a shared pool, on every client. Run with loam-controller.nomad.hcl.
#   nomad job run deploy/nomad/loam-node.nomad.hcl
job "loam-node" {
  type = "system"

  group "node" {
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
          "--mode=node",
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
          source = "/mnt/loam-shared"
          target = "/mnt/loam-shared"
          bind_options {
            propagation = "rshared"
          }
        }
      }

      env {
        LOAM_POOLS = "default=/mnt/loam-shared/pool,shared"
      }

      csi_plugin {
        id                     = "loam"
        type                   = "node"
        mount_dir              = "/csi"
        stage_publish_base_dir = "/local/csi"
      }

      resources {
        cpu    = 50
        memory = 256
      }
    }
  }
}
