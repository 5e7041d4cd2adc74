# A shared pool (a filesystem every client mounts at /mnt/loam-shared, with the folder
# /mnt/loam-shared/pool made once): one controller plugin for the cluster. Run it together
# with loam-node.nomad.hcl.
#   nomad job run deploy/nomad/loam-controller.nomad.hcl
job "loam-controller" {
  type = "service"

  group "controller" {
    # One controller: Loam's per-volume locks live in the process.
    count = 1

    task "plugin" {
      driver = "docker"

      config {
        image = "loam:0.1.0"
        args = [
          "serve",
          "--driver-name=loam.csi.dev",
          "--endpoint=unix:///csi/csi.sock",
          "--node-id=${node.unique.name}",
          "--mode=controller",
          "--http-endpoint=:9810",
        ]

        mount {
          type   = "bind"
          source = "/mnt/loam-shared"
          target = "/mnt/loam-shared"
        }
      }

      env {
        LOAM_POOLS = "default=/mnt/loam-shared/pool,shared"
      }

      csi_plugin {
        id        = "loam"
        type      = "controller"
        mount_dir = "/csi"
      }

      resources {
        cpu    = 50
        memory = 256
      }
    }
  }
}
